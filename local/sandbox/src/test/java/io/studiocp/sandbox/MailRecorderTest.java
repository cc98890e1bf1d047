package io.studiocp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.moto.MotoExtension;
import io.studiocp.emulators.moto.MotoServer;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.Env;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;

/** SES v2 through the recorder to moto, with the real SDK client. */
@ExtendWith(MotoExtension.class)
class MailRecorderTest {

  private final MotoServer moto;

  MailRecorderTest(MotoServer moto) {
    this.moto = moto;
  }

  private static void send(SesV2Client ses, String from) {
    ses.sendEmail(r -> r.fromEmailAddress(from)
        .destination(d -> d.toAddresses("alice@example.com"))
        .content(c -> c.simple(m -> m.subject(s -> s.data("Still running"))
            .body(b -> b.text(t -> t.data("plain: 1 app")).html(h -> h.data("<p>html: 1 app</p>"))))));
  }

  @Test
  void aMessageIsKeptWithBothPartsAndStillReachesMoto() throws IOException {
    try (MailRecorder recorder = new MailRecorder(moto.endpoint());
        SesV2Client ses = new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
            "AWS_SECRET_ACCESS_KEY", "x", "AWS_ENDPOINT_URL_SESV2", recorder.endpoint())))
            .build(SesV2Client.builder(), "SESV2")) {
      ses.createEmailIdentity(r -> r.emailIdentity("police@recorder.example.com"));
      send(ses, "police@recorder.example.com");

      JsonNode kept = recorder.messages().get(0);
      assertEquals("police@recorder.example.com", kept.path("from").asText());
      assertEquals("alice@example.com", kept.path("to").get(0).asText());
      assertEquals("Still running", kept.path("subject").asText());
      assertEquals("plain: 1 app", kept.path("text").asText());
      assertEquals("<p>html: 1 app</p>", kept.path("html").asText());
      assertTrue(Json.mapper().readTree(moto.stateJson()).path("ses").path("Message").toString()
          .contains(kept.path("messageId").asText()), "moto sent it");

      // What moto refuses (an unverified sender) is refused as moto said, and not kept.
      assertThrows(MessageRejectedException.class, () -> send(ses, "nobody@unverified.example.com"));
      assertEquals(1, recorder.messages().size());
    }
  }
}
