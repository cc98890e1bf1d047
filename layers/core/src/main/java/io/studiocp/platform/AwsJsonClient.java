package io.studiocp.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * A few operations of an AWS JSON-protocol service as signed HTTP calls, without the SDK's client
 * for that service: the SDK's own SigV4 signer, retry strategy, credentials and HTTP client (the
 * function's other clients load them anyway), Jackson for the bodies. An SDK service client loads
 * its whole service's model when it is first built and called (SageMaker's: about 600 classes, a
 * large part of a Lambda cold start); a function that calls two or three operations of it pays
 * only for what it reads.
 *
 * <p>Failures are the SDK's exceptions, as a service client throws them: an answer with an error
 * status an {@link AwsServiceException} with the service's error code (so
 * {@link AwsFailures#classify} tells throttling from the rest), a call that got no answer an
 * {@link SdkClientException}. Retries follow the SDK's standard strategy, as the other clients'.
 */
public final class AwsJsonClient {

  /**
   * How a service speaks the JSON protocol.
   *
   * @param serviceId its id in {@code AWS_ENDPOINT_URL_<ID>}, e.g. {@code SAGEMAKER}
   * @param signingName the SigV4 service name, e.g. {@code sagemaker}
   * @param endpointPrefix the host's first labels in the region's endpoint, e.g. {@code api.sagemaker}
   * @param targetPrefix what {@code X-Amz-Target} names before the operation, e.g. {@code SageMaker}
   * @param jsonVersion {@code 1.0} or {@code 1.1}
   */
  public record Service(String serviceId, String signingName, String endpointPrefix, String targetPrefix,
      String jsonVersion) {

    /**
     * A REST-JSON service (operations are a method and a path, e.g. SES v2's {@code POST
     * /v2/email/outbound-emails}): {@code name} names it in messages, there is no target header.
     */
    public static Service rest(String serviceId, String signingName, String endpointPrefix, String name) {
      return new Service(serviceId, signingName, endpointPrefix, name, null);
    }

    boolean isRest() {
      return jsonVersion == null;
    }
  }

  /**
   * An operation a product class calls, as a constant of an enum implementing this: the constant's
   * name is the operation's, and the enum's {@code IAM_PREFIX} constant names the service's IAM
   * prefix. So the operations stay legible in the bytecode, where the deployment tests read what
   * each function calls to check its role (LeastPrivilegeTest).
   */
  public interface Operation {
    String name();
  }

  /**
   * An operation of a REST-JSON service: its HTTP method and its path, where each {@code {}} takes
   * one of the call's path values in turn (URL-encoded). As with {@link Operation}, an enum's
   * constant names the operation and the enum's {@code IAM_PREFIX} its service.
   */
  public interface RestOperation extends Operation {
    String method();

    String path();
  }

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final Service service;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final RetryStrategy retries;
  private final boolean priming;

  AwsJsonClient(Service service, URI endpoint, String region, AwsCredentialsProvider credentials, SdkHttpClient http,
      RetryStrategy retries, boolean priming) {
    this.service = service;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.http = http;
    this.retries = retries;
    this.priming = priming;
  }

  public Service service() {
    return service;
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * The same client, every call of it a priming call ({@link PrimingHttpClient}): signed and
   * answered locally with an empty success, never sent. A SnapStart priming hook runs an adapter's
   * own path over it.
   */
  public AwsJsonClient priming() {
    return new AwsJsonClient(service, endpoint, region, credentials, http, retries, true);
  }

  /** A new, empty request body. */
  public ObjectNode input() {
    return Json.mapper().createObjectNode();
  }

  /**
   * Calls {@code operation} with {@code input}, retrying what the SDK's standard strategy retries.
   *
   * @return the answer's body (an empty object when it had none)
   * @throws AwsServiceException the service's refusal, with its error code and status
   * @throws SdkClientException when no answer came
   */
  public JsonNode call(Operation operation, ObjectNode input) {
    if (operation instanceof RestOperation rest) {
      return rest(rest, input);
    }
    if (service.isRest()) {
      throw new IllegalArgumentException(operation.name() + ": " + service.targetPrefix()
          + " is a REST-JSON service, its operations are RestOperations");
    }
    return withRetries(operation, serialize(input), null, null);
  }

  /**
   * Calls a REST-JSON {@code operation}: its method on its path (each {@code {}} replaced by the next
   * of {@code pathValues}), {@code input} as the JSON body (none when {@code null}), retrying as
   * {@link #call(Operation, ObjectNode)} does.
   */
  public JsonNode call(RestOperation operation, ObjectNode input, String... pathValues) {
    return rest(operation, input, pathValues);
  }

  private JsonNode rest(RestOperation operation, ObjectNode input, String... pathValues) {
    if (!service.isRest()) {
      throw new IllegalArgumentException(operation.name() + ": " + service.targetPrefix() + " is not a REST-JSON service");
    }
    return withRetries(operation, input == null ? new byte[0] : serialize(input), SdkHttpMethod.fromValue(operation.method()),
        path(operation.path(), pathValues));
  }

  static String path(String template, String... values) {
    StringBuilder path = new StringBuilder();
    int next = 0;
    int from = 0;
    for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
      if (next == values.length) {
        throw new IllegalArgumentException(template + " needs more than " + values.length + " path value(s)");
      }
      path.append(template, from, at).append(java.net.URLEncoder.encode(values[next++], java.nio.charset.StandardCharsets.UTF_8)
          .replace("+", "%20"));
      from = at + 2;
    }
    if (next != values.length) {
      throw new IllegalArgumentException(template + " takes " + next + " path value(s), not " + values.length);
    }
    return path.append(template.substring(from)).toString();
  }

  private JsonNode withRetries(Operation operation, byte[] body, SdkHttpMethod method, String path) {
    RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create(service.serviceId())).token();
    while (true) {
      try {
        JsonNode answer = attempt(operation.name(), body, method, path);
        retries.recordSuccess(RecordSuccessRequest.create(token));
        return answer;
      } catch (SdkException failure) {
        RefreshRetryTokenResponse next;
        try {
          next = retries.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
        } catch (TokenAcquisitionFailedException notAgain) {
          throw failure;
        }
        token = next.token();
        pause(next.delay(), failure);
      }
    }
  }

  /** One try: JSON-RPC ({@code method} null: POST with the target header) or REST ({@code method} on {@code path}). */
  private JsonNode attempt(String operation, byte[] body, SdkHttpMethod method, String path) {
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(method == null ? SdkHttpMethod.POST : method)
        .uri(endpoint);
    if (method == null) {
      request.putHeader("Content-Type", "application/x-amz-json-" + service.jsonVersion())
          .putHeader("X-Amz-Target", service.targetPrefix() + "." + operation)
          .putHeader("Content-Length", Integer.toString(body.length));
    } else {
      String base = request.encodedPath() == null ? "" : request.encodedPath();
      request.encodedPath((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
      if (body.length > 0) {
        request.putHeader("Content-Type", "application/json").putHeader("Content-Length", Integer.toString(body.length));
      }
    }
    if (request.encodedPath() == null || request.encodedPath().isEmpty()) {
      request.encodedPath("/");
    }
    if (priming) {
      request.putHeader(PrimingHttpClient.HEADER, "true");
    }
    ContentStreamProvider payload = body.length == 0 && method != null ? null
        : ContentStreamProvider.fromByteArrayUnsafe(body);
    SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveCredentials())
        .request(request.build())
        .payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpExecuteResponse response;
    byte[] answer;
    try {
      response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signed.request())
          .contentStreamProvider(signed.payload().orElse(payload))
          .build()).call();
      answer = read(response);
    } catch (IOException e) {
      throw SdkClientException.builder()
          .message(service.targetPrefix() + "." + operation + " got no answer from " + endpoint + ": " + e)
          .cause(e)
          .build();
    }
    int status = response.httpResponse().statusCode();
    // An error's body may not be JSON (a proxy's or an emulator's page): its status still tells.
    JsonNode json = status >= 300 ? parseError(answer) : parse(answer);
    if (status >= 300) {
      String code = errorCode(response, json, status);
      String message = json.path("message").asText(json.path("Message").asText(code));
      throw AwsServiceException.builder()
          .message(message)
          .statusCode(status)
          .requestId(response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null))
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode(code)
              .errorMessage(message)
              .serviceName(service.targetPrefix())
              .sdkHttpResponse(response.httpResponse())
              .build())
          .build();
    }
    return json;
  }

  /**
   * The error code as the JSON protocol sends it: the body's {@code __type} or the
   * {@code x-amzn-ErrorType} header, without a namespace ({@code aws.foo#Code}) or URL suffix.
   */
  static String errorCode(HttpExecuteResponse response, JsonNode body, int status) {
    String code = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
        .orElseGet(() -> body.path("__type").asText(body.path("code").asText("")));
    int hash = code.lastIndexOf('#');
    if (hash >= 0) {
      code = code.substring(hash + 1);
    }
    int colon = code.indexOf(':');
    if (colon >= 0) {
      code = code.substring(0, colon);
    }
    return code.isBlank() ? "HTTP" + status : code;
  }

  private static byte[] read(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = response.responseBody().get()) {
      return in.readAllBytes();
    }
  }

  private JsonNode parse(byte[] answer) {
    if (answer.length == 0) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.mapper().readTree(answer);
    } catch (IOException e) {
      throw SdkClientException.builder()
          .message(service.targetPrefix() + " answered with a body that is not JSON: " + e.getMessage())
          .cause(e)
          .build();
    }
  }

  private static JsonNode parseError(byte[] answer) {
    try {
      JsonNode json = answer.length == 0 ? null : Json.mapper().readTree(answer);
      return json != null && json.isObject() ? json : Json.mapper().createObjectNode();
    } catch (IOException e) {
      return Json.mapper().createObjectNode();
    }
  }

  private static byte[] serialize(ObjectNode input) {
    try {
      return Json.mapper().writeValueAsBytes(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(Duration delay, SdkException failure) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }
}
