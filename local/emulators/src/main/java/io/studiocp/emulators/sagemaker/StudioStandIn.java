package io.studiocp.emulators.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.emulators.http.AwsJsonError;
import io.studiocp.emulators.http.AwsJsonServer;
import io.studiocp.emulators.model.ModelledOperations;
import io.studiocp.emulators.model.ServiceModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A SageMaker Studio stand-in speaking the real SageMaker JSON 1.1 protocol, for the operations
 * moto lacks: domains, user profiles, spaces, apps, tags, presigned URLs and remote-access sessions
 * ({@code StartSession}, answered but not streamed); and the Resource
 * Groups Tagging API over the same resources, on a second endpoint.
 *
 * <p>Every request passes botocore's model of the operation first (see {@link ModelledOperations}:
 * unknown members, wrong types, names, lengths, ranges and enums are refused as SageMaker refuses
 * them), then SageMaker's own rules (existence, state, ownership, limits), with SageMaker's error
 * codes. Every answer is held to the model too.
 *
 * <p>For tests and benchmarks it can answer a share of calls with {@code ThrottlingException} and
 * add latency to each call, and it counts calls per operation.
 */
public final class StudioStandIn implements AutoCloseable {

  /** The SageMaker operations the stand-in implements, as botocore names them. */
  public static final List<String> OPERATIONS = List.of("ListDomains", "DescribeDomain", "ListUserProfiles",
      "DescribeUserProfile", "ListSpaces", "DescribeSpace", "CreateSpace", "DeleteSpace", "ListApps",
      "DescribeApp", "CreateApp", "DeleteApp", "ListTags", "AddTags", "DeleteTags", "CreatePresignedDomainUrl",
      "StartSession");

  /** The Resource Groups Tagging API operations it implements. */
  public static final List<String> TAGGING_OPERATIONS = List.of("GetResources", "TagResources", "UntagResources");

  /** botocore's models of both services, cut to those operations (kept equal to botocore by a test). */
  public static final String MODEL = "sagemaker-2017-07-24.json";
  public static final String TAGGING_MODEL = "resourcegroupstaggingapi-2017-01-26.json";

  private final StudioWorld world;
  private final PresignedUrls urls;
  private final DomainOperations domains;
  private final SpaceOperations spaces;
  private final AppOperations apps;
  private final TagOperations tags;
  private final RemoteSessions sessions;
  private final AwsJsonServer server;
  private final AwsJsonServer tagging;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicLong ownNanos = new AtomicLong();
  private final Random random = new Random(42);
  private volatile double throttleRate;
  private volatile Duration latency = Duration.ZERO;

  private StudioStandIn(StudioWorld world, int port) {
    this.world = world;
    this.urls = new PresignedUrls(world.region());
    this.domains = new DomainOperations(world, urls);
    this.spaces = new SpaceOperations(world, domains);
    this.apps = new AppOperations(world, domains, spaces);
    this.tags = new TagOperations(world);
    this.sessions = new RemoteSessions(world, spaces);
    this.server = AwsJsonServer.start(port, "SageMaker", "1.1",
        new ModelledOperations(ServiceModel.resource(StudioStandIn.class, MODEL), this::handle));
    this.tagging = AwsJsonServer.start(0, "ResourceGroupsTaggingAPI_20170126", "1.1",
        new ModelledOperations(ServiceModel.resource(StudioStandIn.class, TAGGING_MODEL), this::handleTagging));
  }

  /** Serves {@code world} on 127.0.0.1:{@code port} (0 picks a free port). */
  public static StudioStandIn start(StudioWorld world, int port) {
    return new StudioStandIn(world, port);
  }

  public StudioWorld world() {
    return world;
  }

  public String endpoint() {
    return server.endpoint();
  }

  /** The Resource Groups Tagging API over the same resources (for SageMaker ARNs). */
  public String taggingEndpoint() {
    return tagging.endpoint();
  }

  /**
   * What a URL from CreatePresignedDomainUrl grants (whose profile, which space, until when), as
   * Studio reads it when a browser opens it.
   *
   * @throws IllegalArgumentException if this stand-in did not issue it
   */
  public PresignedUrls.PresignedUrl presignedUrl(String url) {
    return urls.read(url);
  }

  /** The remote-access session StartSession answered with this id (its space's ARN and token), if any. */
  public java.util.Optional<RemoteSessions.Started> remoteSession(String sessionId) {
    return sessions.session(sessionId);
  }

  /** Every remote-access session StartSession answered. */
  public List<RemoteSessions.Started> remoteSessions() {
    return sessions.all();
  }

  /** Tells {@code listener} about every SageMaker call (tests check them against botocore). */
  public void listen(Consumer<AwsJsonServer.Exchange> listener) {
    server.listen(listener);
  }

  /** Tells {@code listener} about every Resource Groups Tagging API call. */
  public void listenTagging(Consumer<AwsJsonServer.Exchange> listener) {
    tagging.listen(listener);
  }

  /** Answers this share of calls (0 to 1) with ThrottlingException, as SageMaker does under load. */
  public void throttle(double rate) {
    this.throttleRate = rate;
  }

  /** Adds this delay to every call. */
  public void latency(Duration delay) {
    this.latency = delay;
  }

  /** Calls per operation since the start or the last {@link #resetCalls()}, throttled ones included. */
  public Map<String, Long> calls() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((op, n) -> copy.put(op, n.get()));
    return copy;
  }

  public long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public void resetCalls() {
    calls.clear();
    ownNanos.set(0);
  }

  /**
   * The stand-in's own time answering (its world's work, without the added latency, the model's
   * checks or the HTTP), added up over calls since the last {@link #resetCalls()}: what a
   * benchmark subtracts to tell the stand-in's cost on this machine from the code's.
   */
  public Duration ownTime() {
    return Duration.ofNanos(ownNanos.get());
  }

  private JsonNode handle(String operation, ObjectNode in) {
    count(operation, "ThrottlingException");
    long started = System.nanoTime();
    try {
      return answer(operation, in);
    } finally {
      ownNanos.addAndGet(System.nanoTime() - started);
    }
  }

  private JsonNode answer(String operation, ObjectNode in) {
    return switch (operation) {
      case "ListDomains" -> domains.listDomains(in);
      case "DescribeDomain" -> domains.describeDomain(in);
      case "ListUserProfiles" -> domains.listUserProfiles(in);
      case "DescribeUserProfile" -> domains.describeUserProfile(in);
      case "CreatePresignedDomainUrl" -> domains.createPresignedDomainUrl(in);
      case "ListSpaces" -> spaces.listSpaces(in);
      case "DescribeSpace" -> spaces.describeSpace(in);
      case "CreateSpace" -> spaces.createSpace(in);
      case "DeleteSpace" -> spaces.deleteSpace(in);
      case "ListApps" -> apps.listApps(in);
      case "DescribeApp" -> apps.describeApp(in);
      case "CreateApp" -> apps.createApp(in);
      case "DeleteApp" -> apps.deleteApp(in);
      case "ListTags" -> tags.listTags(in);
      case "AddTags" -> tags.addTags(in);
      case "DeleteTags" -> tags.deleteTags(in);
      case "StartSession" -> sessions.startSession(in);
      default -> throw new AwsJsonError("UnknownOperationException",
          "the SageMaker stand-in does not implement " + operation);
    };
  }

  private JsonNode handleTagging(String operation, ObjectNode in) {
    count("tagging:" + operation, "ThrottledException");
    long started = System.nanoTime();
    try {
      return answerTagging(operation, in);
    } finally {
      ownNanos.addAndGet(System.nanoTime() - started);
    }
  }

  private JsonNode answerTagging(String operation, ObjectNode in) {
    return switch (operation) {
      case "GetResources" -> tags.getResources(in);
      case "TagResources" -> tags.tagResources(in, true);
      case "UntagResources" -> tags.tagResources(in, false);
      default -> throw new AwsJsonError("UnknownOperationException",
          "the tagging stand-in does not implement " + operation);
    };
  }

  /** Counts the call, then plays the configured latency and throttling (with the service's error code). */
  private void count(String operation, String throttled) {
    calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (throttleRate > 0 && nextRandom() < throttleRate) {
      throw new AwsJsonError(throttled, "Rate exceeded");
    }
  }

  private synchronized double nextRandom() {
    return random.nextDouble();
  }

  @Override
  public void close() {
    server.close();
    tagging.close();
  }
}
