package io.studiocp.functions.api.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.functions.api.ApiRequest;
import io.studiocp.functions.api.ApiResponse;
import io.studiocp.functions.api.ApiWiring;
import io.studiocp.functions.api.Route;
import io.studiocp.platform.Json;
import io.studiocp.platform.Rejection;
import io.studiocp.sessions.aws.SageMakerStudioSessions;
import io.studiocp.platform.Lazy;
import io.studiocp.ssh.SshAccess;
import io.studiocp.ssh.SshNode;
import io.studiocp.ssh.SshSettings;
import io.studiocp.ssh.SpaceRemoteAccess;
import io.studiocp.ssh.SshTarget;
import io.studiocp.ssh.aws.SageMakerSpaceSessions;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /ssh}: an SSM activation to register my app or space (or my host's instance id), my
 * registered targets, deregistering one, and putting my public key on one; a space's way in
 * ({@code GET /ssh/spaces/{space}}) and a session through SageMaker's own remote access
 * ({@code POST /ssh/spaces/{space}/session}).
 */
public final class SshRoutes {

  static final String ACTIVATION_EXAMPLE = "{\"target\": {\"space\": \"my-project\"}} (or {\"app\": \"default\"}, "
      + "{\"hostId\": \"h-0123456789abcdef\"})";
  static final String KEY_EXAMPLE = "{\"publicKey\": \"ssh-ed25519 AAAAC3Nza... you@laptop\"}";

  private final Lazy<SshAccess> ssh;
  private final Lazy<SpaceRemoteAccess> spaces;

  private SshRoutes(Lazy<SshAccess> ssh, Lazy<SpaceRemoteAccess> spaces) {
    this.ssh = ssh;
    this.spaces = spaces;
  }

  /** The routes; SSH's use case (and the SDK's SSM and SageMaker clients) is built on the first call of one. */
  public static List<Route> from(ApiWiring api) {
    Lazy<SageMakerStudioSessions> studio = Lazy.of(() -> new SageMakerStudioSessions(api.sagemaker().get()));
    return new SshRoutes(Lazy.of(() -> new SshAccess(api.ssh().get(), studio.get(), api.fleet(),
        SshSettings.from(api.env()), api.clock())),
        Lazy.of(() -> new SpaceRemoteAccess(studio.get(), new SageMakerSpaceSessions(api.sagemaker().get()),
            api.ssh().get().region()))).routes();
  }

  private List<Route> routes() {
    return List.of(
        new Route("POST", "/ssh/activations", this::activate),
        new Route("GET", "/ssh/targets", this::targets),
        new Route("DELETE", "/ssh/targets/{id}", this::deregister),
        new Route("POST", "/ssh/targets/{id}/key", this::publicKey),
        new Route("GET", "/ssh/spaces/{space}", this::space),
        new Route("POST", "/ssh/spaces/{space}/session", this::session));
  }

  private ApiResponse space(ApiRequest request) {
    request.query(Set.of());
    SpaceRemoteAccess.SpaceAccess access = spaces.get().describe(request.actor(), request.pathParameter("space"));
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("space", access.space().name());
    access.space().owner().ifPresent(o -> out.put("owner", o));
    out.put("shared", access.space().shared());
    out.put("remoteAccess", access.space().remoteAccess());
    out.put("running", access.running());
    out.put("path", access.path().wire());
    access.space().arn().ifPresent(a -> out.put("arn", a));
    out.put("note", access.path() == SpaceRemoteAccess.Path.NATIVE
        ? "SageMaker's own remote access is on: sdocker ssh config --space " + access.space().name()
            + " connects through POST /ssh/spaces/" + access.space().name() + "/session (no agent, no activation)"
        : "remote access is off: reach it over SSM (sdocker ssh register in the space, then sdocker ssh config "
            + "--space " + access.space().name() + "), or have it turned on (RemoteAccess=ENABLED in its "
            + "SpaceSettings)");
    return ApiResponse.json(200, out);
  }

  private ApiResponse session(ApiRequest request) {
    request.query(Set.of());
    request.noBody("POST /ssh/spaces/{space}/session");
    SpaceRemoteAccess.Session session = spaces.get().start(request.actor(), request.pathParameter("space"));
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("space", session.space().name());
    out.put("arn", session.space().arn().orElseThrow());
    out.put("region", session.region());
    // The Session Manager plugin's first argument, as SageMaker answered StartSession.
    ObjectNode plugin = out.putObject("session");
    plugin.put("SessionId", session.session().sessionId());
    plugin.put("StreamUrl", session.session().streamUrl());
    plugin.put("TokenValue", session.session().tokenValue());
    out.put("connect", "session-manager-plugin '<session>' " + session.region() + " StartSession");
    return ApiResponse.json(201, out);
  }

  private ApiResponse activate(ApiRequest request) {
    request.query(Set.of());
    ObjectNode body = object(request.jsonBody(ACTIVATION_EXAMPLE), Set.of("target"), ACTIVATION_EXAMPLE);
    SshTarget target = target(body.get("target"));
    SshAccess.Activation activation = ssh.get().activate(request.actor(), target);
    ObjectNode out = Json.mapper().createObjectNode();
    out.set("target", targetJson(target));
    out.put("owner", activation.owner().owner());
    out.put("region", activation.region());
    if (activation.activationId().isPresent()) {
      String id = activation.activationId().get();
      String code = activation.activationCode().orElseThrow();
      out.put("activationId", id);
      out.put("activationCode", code);
      out.put("expiresAt", activation.expiresAt().orElseThrow().toString());
      out.put("registrationLimit", 1);
      out.put("register", "amazon-ssm-agent -register -y -code " + code + " -id " + id + " -region "
          + activation.region());
      if (activation.spaceRemoteAccess()) {
        out.put("spaceRemoteAccess", true);
        out.put("note", "this space has SageMaker's own remote access on: from a laptop, sdocker ssh config --space "
            + target.name() + " reaches it with no agent, activation or advanced-tier cost (so does the AWS Toolkit)");
      }
      return ApiResponse.json(201, out);
    }
    out.put("instanceId", activation.instanceId().orElseThrow());
    out.put("note", "a Docker host is an EC2 instance whose SSM agent registers through its instance profile: "
        + "no activation is needed; aws ssm start-session --target " + activation.instanceId().get());
    return ApiResponse.json(200, out);
  }

  private ApiResponse targets(ApiRequest request) {
    boolean all = flag(request.query(Set.of("all")).get("all"));
    ObjectNode out = Json.mapper().createObjectNode();
    ArrayNode list = out.putArray("targets");
    ssh.get().targets(request.actor(), all).forEach(n -> list.add(node(n)));
    return ApiResponse.json(200, out);
  }

  private ApiResponse deregister(ApiRequest request) {
    request.query(Set.of());
    request.noBody("DELETE /ssh/targets/{id}");
    ObjectNode out = node(ssh.get().deregister(request.actor(), request.pathParameter("id")));
    out.put("deregistered", true);
    return ApiResponse.json(200, out);
  }

  private ApiResponse publicKey(ApiRequest request) {
    request.query(Set.of());
    ObjectNode body = object(request.jsonBody(KEY_EXAMPLE), Set.of("publicKey"), KEY_EXAMPLE);
    JsonNode key = body.get("publicKey");
    if (key == null || !key.isTextual()) {
      throw Rejection.invalid("publicKey", "is required, a string: " + KEY_EXAMPLE);
    }
    return ApiResponse.json(200, node(ssh.get().setPublicKey(request.actor(), request.pathParameter("id"), key.asText())));
  }

  static ObjectNode node(SshNode n) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("id", n.instanceId());
    n.owner().ifPresent(o -> out.put("owner", o.owner()));
    n.target().ifPresent(t -> out.set("target", targetJson(t)));
    out.put("pingStatus", n.pingStatus());
    if (n.lastPing() != null) {
      out.put("lastPing", n.lastPing().toString());
    }
    if (n.registeredAt() != null) {
      out.put("registeredAt", n.registeredAt().toString());
    }
    if (n.name() != null) {
      out.put("name", n.name());
    }
    if (n.computerName() != null) {
      out.put("computerName", n.computerName());
    }
    n.publicKey().ifPresent(k -> out.put("publicKey", k));
    return out;
  }

  private static ObjectNode targetJson(SshTarget target) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put(target.kind().field(), target.name());
    return out;
  }

  private static SshTarget target(JsonNode node) {
    if (node == null || node.isNull()) {
      throw Rejection.invalid("target", "is required: " + ACTIVATION_EXAMPLE);
    }
    if (!(node instanceof ObjectNode object) || object.size() != 1) {
      throw Rejection.invalid("target", "must be an object with exactly one of app, space or hostId, such as "
          + ACTIVATION_EXAMPLE + "; got " + node);
    }
    String field = object.fieldNames().next();
    JsonNode value = object.get(field);
    SshTarget.Kind kind = switch (field) {
      case "app" -> SshTarget.Kind.APP;
      case "space" -> SshTarget.Kind.SPACE;
      case "hostId" -> SshTarget.Kind.HOST;
      default -> throw new Rejection(Rejection.Kind.INVALID, "UnknownField", "target." + field
          + ": unknown field; a target is one of app, space or hostId");
    };
    if (!value.isTextual()) {
      throw Rejection.invalid("target." + field, "must be a string, got " + value);
    }
    return new SshTarget(kind, value.asText());
  }

  private static ObjectNode object(JsonNode body, Set<String> fields, String example) {
    if (!(body instanceof ObjectNode object)) {
      throw new Rejection(Rejection.Kind.INVALID, "InvalidBody", "the body must be a JSON object such as " + example);
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!fields.contains(field)) {
        throw new Rejection(Rejection.Kind.INVALID, "UnknownField", field + ": unknown field; the fields are "
            + String.join(", ", fields.stream().sorted().toList()));
      }
    }
    return object;
  }

  private static boolean flag(String value) {
    if (value == null) {
      return false;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw Rejection.invalid("all", "must be true or false, got '" + value + "'");
    };
  }
}
