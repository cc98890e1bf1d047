package io.studiocp.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A REST operation's path, its values filled in and encoded. */
class AwsJsonClientPathTest {

  @Test
  void pathValuesAreFilledInOrderAndEncoded() {
    assertEquals("/v2/email/outbound-emails", AwsJsonClient.path("/v2/email/outbound-emails"));
    assertEquals("/v2/email/identities/alice%2Bstudio%40example.com%20x",
        AwsJsonClient.path("/v2/email/identities/{}", "alice+studio@example.com x"));
  }

  @Test
  void aMissingOrExtraValueIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> AwsJsonClient.path("/v2/email/identities/{}"));
    assertThrows(IllegalArgumentException.class, () -> AwsJsonClient.path("/v2/email/account", "x"));
  }
}
