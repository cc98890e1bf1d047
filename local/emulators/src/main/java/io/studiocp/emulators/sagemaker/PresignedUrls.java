package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The URLs CreatePresignedDomainUrl hands out, in SageMaker's form
 * ({@code https://<domain>.studio.<region>.sagemaker.aws/auth?token=<JWT>}), whose token this
 * stand-in signs and can read back: a test tells whose URL it is, for which space and landing
 * page, and whether it has expired, as Studio would when a browser opens it.
 */
public final class PresignedUrls {

  /** What a URL grants: a session for a user profile, optionally in a space, until a deadline. */
  public record PresignedUrl(String domainId, String userProfileName, String spaceName, String landingUri,
      Instant issuedAt, Instant expiresAt, Duration sessionExpiration, String tokenId) {

    public boolean expired(Instant now) {
      return !now.isBefore(expiresAt);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String HEADER = B64.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] key = new byte[32];
  private final String region;

  public PresignedUrls(String region) {
    this.region = region;
    new SecureRandom().nextBytes(key);
  }

  String issue(String domainId, String userProfileName, String spaceName, String landingUri, Instant now,
      Duration expiresIn, Duration session) {
    ObjectNode claims = JSON.createObjectNode()
        .put("jti", UUID.randomUUID().toString())
        .put("domainId", domainId)
        .put("userProfileName", userProfileName)
        .put("iat", now.getEpochSecond())
        .put("exp", now.plus(expiresIn).getEpochSecond())
        .put("sessionExpirationDurationInSeconds", session.toSeconds());
    if (spaceName != null) {
      claims.put("spaceName", spaceName);
    }
    if (landingUri != null) {
      claims.put("landingUri", landingUri);
    }
    String payload = HEADER + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return "https://" + domainId + ".studio." + region + ".sagemaker.aws/auth?token=" + payload + "."
        + B64.encodeToString(sign(payload));
  }

  /**
   * Reads a URL this stand-in issued.
   *
   * @throws IllegalArgumentException if it is not one (another host, a forged or altered token)
   */
  public PresignedUrl read(String url) {
    URI uri = URI.create(url);
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null
        || !uri.getHost().endsWith(".studio." + region + ".sagemaker.aws") || !"/auth".equals(uri.getPath())
        || !query.startsWith("token=")) {
      throw new IllegalArgumentException("not a presigned Studio URL of " + region + ": " + url);
    }
    String[] parts = query.substring("token=".length()).split("\\.");
    if (parts.length != 3
        || !MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), decode(parts[2], url))) {
      throw new IllegalArgumentException("the token of " + url + " was not signed by this stand-in");
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(decode(parts[1], url));
    } catch (IOException e) {
      throw new IllegalArgumentException("the token of " + url + " is not JSON", e);
    }
    if (!uri.getHost().equals(claims.path("domainId").asText() + ".studio." + region + ".sagemaker.aws")) {
      throw new IllegalArgumentException("the token of " + url + " is for another domain");
    }
    return new PresignedUrl(claims.path("domainId").asText(), claims.path("userProfileName").asText(),
        claims.path("spaceName").asText(null), claims.path("landingUri").asText(null),
        Instant.ofEpochSecond(claims.path("iat").asLong()), Instant.ofEpochSecond(claims.path("exp").asLong()),
        Duration.ofSeconds(claims.path("sessionExpirationDurationInSeconds").asLong()),
        claims.path("jti").asText());
  }

  private static byte[] decode(String part, String url) {
    try {
      return B64D.decode(part);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the token of " + url + " is not base64url", e);
    }
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
