package io.studiocp.emulators.sagemaker;

import static io.studiocp.emulators.sagemaker.StudioAnswers.JSON;
import static io.studiocp.emulators.sagemaker.StudioAnswers.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.sagemaker.StudioWorld.Space;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code StartSession}: SageMaker's own remote access to a space (a stand-in: no stream is opened).
 * As the API reference says, the request names the space by its ARN ({@code ResourceIdentifier})
 * and the answer is a Session Manager stream: {@code SessionId}, {@code StreamUrl} (a WebSocket URL
 * on ssmmessages) and {@code TokenValue}, which is what {@code session-manager-plugin} takes; a space
 * that does not exist is {@code ResourceNotFound}. Beyond the reference (not verified against AWS):
 * a space whose {@code SpaceSettings.RemoteAccess} is not ENABLED, or that runs no InService app, is
 * refused with {@code ValidationException}. Every session started is kept, for tests to read back.
 */
public final class RemoteSessions {

  /** A session the stand-in started: for which space, with which token, when. */
  public record Started(String sessionId, String spaceArn, String tokenValue, Instant at) {}

  private static final Pattern SPACE_ARN = Pattern.compile("arn:aws[a-z\\-]*:sagemaker:([a-z0-9\\-]*):([0-9]{12})"
      + ":space/([^/]+)/([^/]+)");

  private final StudioWorld world;
  private final SpaceOperations spaces;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Started> started = new ConcurrentHashMap<>();

  RemoteSessions(StudioWorld world, SpaceOperations spaces) {
    this.world = world;
    this.spaces = spaces;
  }

  JsonNode startSession(JsonNode in) {
    String arn = in.path("ResourceIdentifier").asText();
    Matcher m = SPACE_ARN.matcher(arn);
    if (!m.matches() || !m.group(1).equals(world.region()) || !m.group(2).equals(world.accountId())) {
      throw invalid("ResourceIdentifier " + arn + " is not the ARN of a space in " + world.region() + " of account "
          + world.accountId() + ".");
    }
    Space space = spaces.space(m.group(3), m.group(4));
    String remote = space.settings() == null ? null : space.settings().path("RemoteAccess").asText(null);
    if (!"ENABLED".equals(remote)) {
      throw invalid("Remote access is not enabled for space " + arn + ".");
    }
    boolean running = world.apps().stream()
        .anyMatch(a -> SpaceOperations.runsIn(a, space) && "InService".equals(a.status()));
    if (!running) {
      throw invalid("Space " + arn + " has no InService app to connect to.");
    }
    byte[] id = new byte[8];
    random.nextBytes(id);
    String sessionId = "sagemaker-" + HexFormat.of().formatHex(id);
    byte[] token = new byte[96];
    random.nextBytes(token);
    String tokenValue = Base64.getEncoder().encodeToString(token);
    started.put(sessionId, new Started(sessionId, arn, tokenValue, world.now()));
    ObjectNode out = JSON.createObjectNode();
    out.put("SessionId", sessionId);
    out.put("StreamUrl", "wss://ssmmessages." + world.region() + ".amazonaws.com/v1/data-channel/" + sessionId
        + "?role=publish_subscribe&cell-number=1");
    out.put("TokenValue", tokenValue);
    return out;
  }

  Optional<Started> session(String sessionId) {
    return Optional.ofNullable(started.get(sessionId));
  }

  List<Started> all() {
    return List.copyOf(started.values());
  }
}
