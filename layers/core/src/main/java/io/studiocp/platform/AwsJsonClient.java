package io.studiocp.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A few operations of an AWS JSON-protocol service as signed HTTP calls, without the SDK's client
 * for that service: the SDK's own SigV4 signer, retry strategy, credentials and HTTP client (the
 * function's other clients load them anyway; {@link SignedCalls}), Jackson for the bodies. An SDK
 * service client loads its whole service's model when it is first built and called (SageMaker's:
 * about 600 classes, a large part of a Lambda cold start); a function that calls two or three
 * operations of it pays only for what it reads.
 *
 * <p>Both JSON protocols: {@link #call} for the RPC one ({@code X-Amz-Target}: SageMaker, SSM),
 * {@link #rest} for REST-JSON, where the operation is a method and a path (EFS).
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
   *     (none for a REST-JSON service)
   * @param jsonVersion {@code 1.0} or {@code 1.1} (none for a REST-JSON service)
   */
  public record Service(String serviceId, String signingName, String endpointPrefix, String targetPrefix,
      String jsonVersion) {

    /** A REST-JSON service: operations are paths, no target header. */
    public static Service rest(String serviceId, String signingName, String endpointPrefix) {
      return new Service(serviceId, signingName, endpointPrefix, null, null);
    }
  }

  private final Service service;
  private final SignedCalls calls;

  AwsJsonClient(Service service, SignedCalls calls) {
    this.service = service;
    this.calls = calls;
  }

  public Service service() {
    return service;
  }

  public URI endpoint() {
    return calls.endpoint();
  }

  /**
   * The same client, every call of it a priming call ({@link PrimingHttpClient}): signed and
   * answered locally with an empty success, never sent. A SnapStart priming hook runs an adapter's
   * own path over it.
   */
  public AwsJsonClient priming() {
    return new AwsJsonClient(service, calls.priming());
  }

  /** A new, empty request body. */
  public ObjectNode input() {
    return Json.mapper().createObjectNode();
  }

  /**
   * Calls {@code operation} of a JSON-RPC service with {@code input}, retrying what the SDK's
   * standard strategy retries.
   *
   * @return the answer's body (an empty object when it had none)
   * @throws AwsServiceException the service's refusal, with its error code and status
   * @throws SdkClientException when no answer came
   */
  public JsonNode call(AwsOperation operation, ObjectNode input) {
    String what = service.targetPrefix() + "." + operation.name();
    return send(what, new SignedCalls.Request(SdkHttpMethod.POST, "", Map.of(),
        Map.of("Content-Type", "application/x-amz-json-" + service.jsonVersion(), "X-Amz-Target", what),
        serialize(input)));
  }

  /**
   * Calls {@code operation} of a REST-JSON service: {@code method} on {@code path} (already
   * URL-encoded, under the endpoint) with the query parameters and the body, if any.
   *
   * @return the answer's body (an empty object when it had none)
   */
  public JsonNode rest(AwsOperation operation, SdkHttpMethod method, String path, Map<String, String> query,
      ObjectNode body) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    query.forEach((name, value) -> parameters.put(name, List.of(value)));
    return send(service.serviceId() + " " + operation.name(), new SignedCalls.Request(method, path, parameters,
        body == null ? Map.of() : Map.of("Content-Type", "application/json"),
        body == null ? new byte[0] : serialize(body)));
  }

  /**
   * A REST path from its template: each {@code {}} takes the next of {@code values}, URL-encoded
   * (a space as {@code %20}).
   *
   * @throws IllegalArgumentException when the values are fewer or more than the template's places
   */
  public static String path(String template, String... values) {
    StringBuilder path = new StringBuilder();
    int next = 0;
    int from = 0;
    for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
      if (next == values.length) {
        throw new IllegalArgumentException(template + " needs more than " + values.length + " path value(s)");
      }
      path.append(template, from, at)
          .append(URLEncoder.encode(values[next++], StandardCharsets.UTF_8).replace("+", "%20"));
      from = at + 2;
    }
    if (next != values.length) {
      throw new IllegalArgumentException(template + " takes " + next + " path value(s), not " + values.length);
    }
    return path.append(template.substring(from)).toString();
  }

  private JsonNode send(String what, SignedCalls.Request request) {
    return parse(what, calls.call(what, request, (response, body) -> refusal(what, response, body)).body());
  }

  private SdkException refusal(String what, SdkHttpResponse response, byte[] body) {
    JsonNode json;
    try {
      json = parse(what, body);
    } catch (SdkClientException notJson) {
      json = Json.mapper().createObjectNode();
    }
    int status = response.statusCode();
    String code = errorCode(response, json, status);
    String message = json.path("message").asText(json.path("Message").asText(code));
    return SignedCalls.Refusals.of(response, code, message, service.targetPrefix() != null ? service.targetPrefix() : service.serviceId());
  }

  /**
   * The error code as the JSON protocols send it: the {@code x-amzn-ErrorType} header or the
   * body's {@code __type} ({@code code}, {@code ErrorCode}), without a namespace
   * ({@code aws.foo#Code}) or URL suffix.
   */
  static String errorCode(SdkHttpResponse response, JsonNode body, int status) {
    String code = response.firstMatchingHeader("x-amzn-ErrorType")
        .orElseGet(() -> body.path("__type").asText(body.path("code").asText(body.path("ErrorCode").asText(""))));
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

  private static JsonNode parse(String what, byte[] answer) {
    if (answer.length == 0) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.mapper().readTree(answer);
    } catch (IOException e) {
      throw SdkClientException.builder()
          .message(what + " answered with a body that is not JSON: " + e.getMessage())
          .cause(e)
          .build();
    }
  }

  private static byte[] serialize(ObjectNode input) {
    try {
      return Json.mapper().writeValueAsBytes(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
