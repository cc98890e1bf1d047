package io.studiocp.emulators.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.emulators.http.AwsJsonError;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the SSM stand-in knows: hybrid activations and the managed instances (nodes) registered
 * with them, their tags and whether their agent is connected. Thread-safe; tests and the sandbox
 * change it directly (register an agent, take one offline), the stand-in serves it over HTTP.
 *
 * <p>As SSM documents it: an activation registers at most its {@code RegistrationLimit} nodes until
 * its {@code ExpirationDate}; a registered node gets an id {@code mi-} + 17 hex digits and the
 * activation's tags ("tags assigned to the activation are automatically applied to the on-premises
 * servers or VMs", CreateActivation's Tags); deleting an activation deregisters nothing; a node's
 * registration outlives its activation until it is deregistered; deregistering does not give the
 * activation its registration back.
 */
public final class SsmWorld {

  /** What an agent tells SSM about its machine when it registers. */
  public record Registration(String computerName, String ipAddress, String platformName, String platformVersion,
      String agentVersion) {

    /** A Linux machine (a Studio app's container, a Docker host) with a current agent. */
    public static Registration linux(String computerName, String ipAddress) {
      return new Registration(computerName, ipAddress, "Ubuntu", "22.04", "3.3.1142.0");
    }
  }

  /** A hybrid activation. */
  public static final class Activation {
    private final String activationId;
    private final String activationCode;
    private final String description;
    private final String defaultInstanceName;
    private final String iamRole;
    private final int registrationLimit;
    private final Instant expirationDate;
    private final Instant createdDate;
    private final Map<String, String> tags;
    private int registrations;

    Activation(String activationId, String activationCode, String description, String defaultInstanceName,
        String iamRole, int registrationLimit, Instant expirationDate, Instant createdDate, Map<String, String> tags) {
      this.activationId = activationId;
      this.activationCode = activationCode;
      this.description = description;
      this.defaultInstanceName = defaultInstanceName;
      this.iamRole = iamRole;
      this.registrationLimit = registrationLimit;
      this.expirationDate = expirationDate;
      this.createdDate = createdDate;
      this.tags = Map.copyOf(tags);
    }

    public String activationId() {
      return activationId;
    }

    public String activationCode() {
      return activationCode;
    }

    public String description() {
      return description;
    }

    public String defaultInstanceName() {
      return defaultInstanceName;
    }

    public String iamRole() {
      return iamRole;
    }

    public int registrationLimit() {
      return registrationLimit;
    }

    public Instant expirationDate() {
      return expirationDate;
    }

    public Instant createdDate() {
      return createdDate;
    }

    public Map<String, String> tags() {
      return tags;
    }

    public synchronized int registrations() {
      return registrations;
    }

    public boolean expired(Instant now) {
      return !now.isBefore(expirationDate);
    }
  }

  /** A managed node: {@code mi-…} registered with an activation, or an EC2 instance whose agent is online. */
  public static final class ManagedInstance {
    private final String instanceId;
    private final String resourceType;
    private final String activationId;
    private final String iamRole;
    private final String name;
    private final Instant registrationDate;
    private final Registration registration;
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private volatile Instant disconnectedAt;

    ManagedInstance(String instanceId, String resourceType, String activationId, String iamRole, String name,
        Instant registrationDate, Registration registration) {
      this.instanceId = instanceId;
      this.resourceType = resourceType;
      this.activationId = activationId;
      this.iamRole = iamRole;
      this.name = name;
      this.registrationDate = registrationDate;
      this.registration = registration;
    }

    public String instanceId() {
      return instanceId;
    }

    /** {@code ManagedInstance} or {@code EC2Instance}. */
    public String resourceType() {
      return resourceType;
    }

    public String activationId() {
      return activationId;
    }

    public String iamRole() {
      return iamRole;
    }

    public String name() {
      return name;
    }

    public Instant registrationDate() {
      return registrationDate;
    }

    public Registration registration() {
      return registration;
    }

    public Map<String, String> tags() {
      return Map.copyOf(tags);
    }

    /** {@code Online} while the agent is connected, else {@code ConnectionLost}. */
    public String pingStatus() {
      return disconnectedAt == null ? "Online" : "ConnectionLost";
    }

    /** The agent's last ping: now while it is connected, else when it was last heard of. */
    public Instant lastPing(Instant now) {
      Instant lost = disconnectedAt;
      return lost == null ? now : lost;
    }
  }

  /** How long an activation lasts when CreateActivation gives no ExpirationDate, and at most. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
  public static final Duration MAX_EXPIRY = Duration.ofDays(30);

  private static final String CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Activation> activations = new ConcurrentHashMap<>();
  private final Map<String, ManagedInstance> instances = new ConcurrentHashMap<>();

  public SsmWorld(String region, String accountId) {
    this(region, accountId, Clock.systemUTC());
  }

  public SsmWorld(String region, String accountId, Clock clock) {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  public Instant now() {
    return clock.instant();
  }

  // ---- activations ---------------------------------------------------------------------------

  /** CreateActivation, after its checks: a new id and code. */
  public Activation createActivation(String description, String defaultInstanceName, String iamRole,
      int registrationLimit, Instant expirationDate, Map<String, String> tags) {
    Activation activation = new Activation(UUID.randomUUID().toString(), code(), description, defaultInstanceName,
        iamRole, registrationLimit, expirationDate, now(), new LinkedHashMap<>(tags));
    activations.put(activation.activationId(), activation);
    return activation;
  }

  public Optional<Activation> activation(String activationId) {
    return Optional.ofNullable(activations.get(activationId));
  }

  /** The activations not deleted, oldest first. */
  public List<Activation> activations() {
    return activations.values().stream()
        .sorted(Comparator.comparing(Activation::createdDate).thenComparing(Activation::activationId))
        .toList();
  }

  public boolean deleteActivation(String activationId) {
    return activations.remove(activationId) != null;
  }

  // ---- registration --------------------------------------------------------------------------

  /**
   * What {@code amazon-ssm-agent -register -code CODE -id ID} does: registers this machine with the
   * activation and returns its managed node, tagged with the activation's tags.
   *
   * @throws AwsJsonError {@code InvalidActivation} when the activation does not exist (or was
   *     deleted), the code does not match, it has expired or its registration limit is reached
   */
  public ManagedInstance register(String activationId, String activationCode, Registration registration) {
    Activation activation = activations.get(activationId);
    if (activation == null || !activation.activationCode().equals(activationCode)) {
      throw new AwsJsonError("InvalidActivation", "The activation " + activationId
          + " does not exist, was deleted, or its code does not match");
    }
    Instant now = now();
    if (activation.expired(now)) {
      throw new AwsJsonError("InvalidActivation", "The activation " + activationId + " expired at "
          + activation.expirationDate());
    }
    synchronized (activation) {
      if (activation.registrations >= activation.registrationLimit()) {
        throw new AwsJsonError("InvalidActivation", "The activation " + activationId + " has registered "
            + activation.registrationLimit() + " managed node(s), its RegistrationLimit");
      }
      activation.registrations++;
    }
    ManagedInstance instance = new ManagedInstance(managedInstanceId(), "ManagedInstance", activationId,
        activation.iamRole(), activation.defaultInstanceName(), now, registration);
    instance.tags.putAll(activation.tags());
    instances.put(instance.instanceId(), instance);
    return instance;
  }

  /** An EC2 instance whose agent has come online (DescribeInstanceInformation lists it; it takes no SSM tags). */
  public ManagedInstance addEc2Instance(String instanceId, String iamRole, Registration registration) {
    ManagedInstance instance = new ManagedInstance(instanceId, "EC2Instance", null, iamRole, null, now(),
        registration);
    instances.put(instanceId, instance);
    return instance;
  }

  /** DeregisterManagedInstance: false when there is no such node. */
  public boolean deregister(String instanceId) {
    return instances.remove(instanceId) != null;
  }

  public Optional<ManagedInstance> instance(String instanceId) {
    return Optional.ofNullable(instances.get(instanceId));
  }

  /** Every registered node, oldest registration first. */
  public List<ManagedInstance> instances() {
    return instances.values().stream()
        .sorted(Comparator.comparing(ManagedInstance::registrationDate).thenComparing(ManagedInstance::instanceId))
        .toList();
  }

  /** The agent stops pinging (the app or host is gone): ConnectionLost, last heard of at {@code lastPing}. */
  public void disconnect(String instanceId, Instant lastPing) {
    existing(instanceId).disconnectedAt = lastPing;
  }

  /** The agent pings again: Online. */
  public void reconnect(String instanceId) {
    existing(instanceId).disconnectedAt = null;
  }

  // ---- tags ----------------------------------------------------------------------------------

  public void tag(String instanceId, Map<String, String> tags) {
    existing(instanceId).tags.putAll(tags);
  }

  public void untag(String instanceId, List<String> keys) {
    ManagedInstance instance = existing(instanceId);
    keys.forEach(instance.tags::remove);
  }

  private ManagedInstance existing(String instanceId) {
    ManagedInstance instance = instances.get(instanceId);
    if (instance == null) {
      throw new IllegalArgumentException("no managed node " + instanceId);
    }
    return instance;
  }

  private String code() {
    StringBuilder code = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
    }
    return code.toString();
  }

  private String managedInstanceId() {
    byte[] bytes = new byte[9];
    random.nextBytes(bytes);
    return "mi-" + HexFormat.of().formatHex(bytes).substring(0, 17);
  }

  // ---- seed ----------------------------------------------------------------------------------

  /**
   * Builds a world from the {@code ssm} part of a seed document: {@code managedInstances}, each with
   * {@code name}, {@code iamRole}, {@code tags}, {@code registeredHoursAgo}, and
   * {@code lastPingHoursAgo} for one whose agent is no longer connected (a registration left behind).
   */
  public static SsmWorld fromSeed(JsonNode seed, Clock clock) {
    SsmWorld world = new SsmWorld(seed.path("region").asText("us-east-1"),
        seed.path("accountId").asText("123456789012"), clock);
    Instant now = clock.instant();
    for (JsonNode node : seed.path("ssm").path("managedInstances")) {
      Map<String, String> tags = new LinkedHashMap<>();
      node.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
      // Registered long ago with an activation that has since expired and been deleted.
      ManagedInstance instance = new ManagedInstance(world.managedInstanceId(), "ManagedInstance",
          UUID.randomUUID().toString(), node.path("iamRole").asText("studiocp-ssm-managed"),
          node.path("name").asText(null), now.minus(hours(node.path("registeredHoursAgo").asDouble(0))),
          Registration.linux(node.path("computerName").asText("localhost"), node.path("ipAddress").asText("127.0.0.1")));
      instance.tags.putAll(tags);
      if (node.has("lastPingHoursAgo")) {
        instance.disconnectedAt = now.minus(hours(node.get("lastPingHoursAgo").asDouble()));
      }
      world.instances.put(instance.instanceId(), instance);
    }
    return world;
  }

  private static Duration hours(double hours) {
    return Duration.ofSeconds(Math.round(hours * 3600));
  }
}
