package io.studiocp.emulators.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.http.Upstream;
import io.studiocp.emulators.model.ModelledOperations;
import io.studiocp.emulators.model.ServiceModel;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An SSM stand-in speaking SSM's JSON 1.1 protocol ({@code AmazonSSM.<Operation>}) for what moto
 * lacks: hybrid activations and managed nodes (activate, register, describe, tag, deregister).
 *
 * <p>Everything else SSM (parameters for the hosts' AMIs, documents, the tags of anything but a
 * managed node) goes unchanged to moto behind it, so that one {@code AWS_ENDPOINT_URL_SSM} serves
 * both. Requests it answers itself pass botocore's model of SSM first and its answers are held to
 * it (see {@link ModelledOperations}); the agent's own registration call, which botocore does not
 * publish, is modelled from the agent's sources.
 */
public final class SsmStandIn implements AutoCloseable {

  /** The SSM operations the stand-in answers itself, as botocore names them. */
  public static final List<String> OPERATIONS = List.of("CreateActivation", "DescribeActivations",
      "DeleteActivation", "DescribeInstanceInformation", "DeregisterManagedInstance", "AddTagsToResource",
      "ListTagsForResource", "RemoveTagsFromResource");

  /** The agent's registration call (not in botocore), and its model. */
  public static final String REGISTER = "RegisterManagedInstance";
  public static final String MODEL = "ssm-2014-11-06.json";
  public static final String AGENT_MODEL = "ssm-agent.json";

  private static final Set<String> TAGGING = Set.of("AddTagsToResource", "ListTagsForResource",
      "RemoveTagsFromResource");

  private final SsmWorld world;
  private final ActivationOperations activations;
  private final InstanceOperations instances;
  private final AwsJsonServer server;

  private SsmStandIn(SsmWorld world, int port, String upstreamEndpoint) {
    this.world = world;
    this.activations = new ActivationOperations(world);
    this.instances = new InstanceOperations(world);
    ServiceModel model = ServiceModel.resource(SsmStandIn.class, MODEL)
        .with(ServiceModel.resource(SsmStandIn.class, AGENT_MODEL));
    Upstream upstream = upstreamEndpoint == null ? null : new Upstream(upstreamEndpoint, SsmStandIn::forMoto);
    this.server = AwsJsonServer.start(port, "AmazonSSM", "1.1", new ModelledOperations(model, this::handle), upstream);
  }

  /**
   * Serves {@code world} on 127.0.0.1:{@code port} (0 picks a free port), passing every other SSM
   * operation to {@code upstreamEndpoint} (moto), or refusing it when that is null.
   */
  public static SsmStandIn start(SsmWorld world, int port, String upstreamEndpoint) {
    return new SsmStandIn(world, port, upstreamEndpoint);
  }

  public SsmWorld world() {
    return world;
  }

  /** The endpoint for {@code AWS_ENDPOINT_URL_SSM}. */
  public String endpoint() {
    return server.endpoint();
  }

  /**
   * Registers a machine as {@code amazon-ssm-agent -register -code CODE -id ID -region R} would:
   * the new node's id ({@code mi-…}), Online and tagged with the activation's tags.
   *
   * @throws AwsJsonError {@code InvalidActivation} as SSM refuses the agent (unknown or deleted
   *     activation, wrong code, expired, registration limit reached)
   */
  public String register(String activationId, String activationCode, String computerName) {
    return world.register(activationId, activationCode, SsmWorld.Registration.linux(computerName, "127.0.0.1"))
        .instanceId();
  }

  /** Tells {@code listener} about every call, forwarded ones included (tests check them against botocore). */
  public void listen(Consumer<AwsJsonServer.Exchange> listener) {
    server.listen(listener);
  }

  /** What moto answers: every operation but ours, and the tags of anything but a managed node. */
  private static boolean forMoto(String operation, ObjectNode input) {
    if (TAGGING.contains(operation)) {
      return input != null && !"ManagedInstance".equals(input.path("ResourceType").asText());
    }
    return !OPERATIONS.contains(operation) && !REGISTER.equals(operation);
  }

  private JsonNode handle(String operation, ObjectNode in) {
    return switch (operation) {
      case "CreateActivation" -> activations.createActivation(in);
      case "DescribeActivations" -> activations.describeActivations(in);
      case "DeleteActivation" -> activations.deleteActivation(in);
      case "DescribeInstanceInformation" -> instances.describeInstanceInformation(in);
      case "DeregisterManagedInstance" -> instances.deregisterManagedInstance(in);
      case "AddTagsToResource" -> instances.addTagsToResource(in);
      case "ListTagsForResource" -> instances.listTagsForResource(in);
      case "RemoveTagsFromResource" -> instances.removeTagsFromResource(in);
      case REGISTER -> instances.registerManagedInstance(in);
      default -> throw new AwsJsonError("UnknownOperationException",
          "the SSM stand-in does not implement " + operation + " and has no upstream to pass it to");
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
