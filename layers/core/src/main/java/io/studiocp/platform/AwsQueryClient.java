package io.studiocp.platform;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A few operations of an AWS query-protocol service (EC2's) as signed HTTP calls, without the SDK's
 * client for it: the same signing, retries, credentials and HTTP client as {@link AwsJsonClient}
 * ({@link SignedCalls}); the request a form-encoded POST of {@code Action}, {@code Version} and the
 * operation's parameters, the answer XML read with the JDK's StAX ({@link XmlElement}). EC2's SDK
 * client loads the model classes of every shape it reads (about 880 beyond one describe call for
 * what the provisioning reads); this reads only the fields asked for.
 *
 * <p>Failures are the SDK's exceptions, as the SDK's client throws them: a refusal an
 * {@link AwsServiceException} with EC2's error code ({@code <Errors><Error><Code>}) and status, so
 * {@link AwsFailures} classifies throttling and 5xx as transient as before; no answer an
 * {@link SdkClientException}.
 */
public final class AwsQueryClient {

  /**
   * How a service speaks the query protocol.
   *
   * @param serviceId its id in {@code AWS_ENDPOINT_URL_<ID>}, e.g. {@code EC2}
   * @param signingName the SigV4 service name, e.g. {@code ec2}
   * @param endpointPrefix the host's first label in the region's endpoint, e.g. {@code ec2}
   * @param version the API version every request names, e.g. {@code 2016-11-15}
   */
  public record Service(String serviceId, String signingName, String endpointPrefix, String version) {}

  /**
   * An operation's parameters in the query protocol's flattened form ({@code Filter.1.Name},
   * {@code Filter.1.Value.1}, ...), in the order they are added.
   */
  public static final class Parameters {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();
    private int filters;

    public Parameters add(String name, Object value) {
      if (value != null) {
        entries.add(Map.entry(name, value.toString()));
      }
      return this;
    }

    /** A list parameter: {@code name.1}, {@code name.2}, ... */
    public Parameters list(String name, Collection<?> values) {
      int n = 0;
      for (Object value : values) {
        add(name + "." + ++n, value);
      }
      return this;
    }

    /** One more {@code Filter.N} with its name and values. */
    public Parameters filter(String name, Collection<String> values) {
      String prefix = "Filter." + ++filters;
      add(prefix + ".Name", name);
      return list(prefix + ".Value", values);
    }

    public Parameters filter(String name, String value) {
      return filter(name, List.of(value));
    }

    /** A copy, to page through an answer with the same parameters. */
    public Parameters copy() {
      Parameters copy = new Parameters();
      copy.entries.addAll(entries);
      copy.filters = filters;
      return copy;
    }

    String encoded() {
      return entries.stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
          .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
          .replace("%7E", "~");
    }
  }

  private final Service service;
  private final SignedCalls calls;

  AwsQueryClient(Service service, SignedCalls calls) {
    this.service = service;
    this.calls = calls;
  }

  public Service service() {
    return service;
  }

  public URI endpoint() {
    return calls.endpoint();
  }

  /** The same client, every call of it a priming call ({@link PrimingHttpClient}), never sent. */
  public AwsQueryClient priming() {
    return new AwsQueryClient(service, calls.priming());
  }

  /**
   * Calls {@code operation} with {@code parameters}, retrying what the SDK's standard strategy retries.
   *
   * @return the answer's root element ({@code <OperationResponse>}; an empty element for a priming call)
   * @throws AwsServiceException the service's refusal, with its error code and status
   * @throws SdkClientException when no answer came, or one that is not XML
   */
  public XmlElement call(AwsOperation operation, Parameters parameters) {
    String what = service.serviceId() + " " + operation.name();
    String form = "Action=" + operation.name() + "&Version=" + service.version()
        + (parameters.entries.isEmpty() ? "" : "&" + parameters.encoded());
    SignedCalls.Answer answer = calls.call(what, new SignedCalls.Request(SdkHttpMethod.POST, "", Map.of(),
            Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            form.getBytes(StandardCharsets.UTF_8)),
        (response, body) -> refusal(what, response, body));
    return parse(what, answer.body());
  }

  private SdkException refusal(String what, SdkHttpResponse response, byte[] body) {
    XmlElement error = null;
    try {
      XmlElement root = parse(what, body);
      // EC2: <Response><Errors><Error>; the other query services: <ErrorResponse><Error>.
      error = root.child("Errors").flatMap(e -> e.child("Error")).or(() -> root.child("Error")).orElse(null);
    } catch (SdkClientException notXml) {
      // no readable body: the status tells
    }
    int status = response.statusCode();
    String code = error == null || error.text("Code") == null ? "HTTP" + status : error.text("Code");
    String message = error == null || error.text("Message") == null ? code : error.text("Message");
    return SignedCalls.Refusals.of(response, code, message, service.serviceId());
  }

  private static XmlElement parse(String what, byte[] body) {
    try {
      return XmlElement.parse(body);
    } catch (XMLStreamException e) {
      throw SdkClientException.builder()
          .message(what + " answered with a body that is not XML: " + e.getMessage())
          .cause(e)
          .build();
    }
  }
}
