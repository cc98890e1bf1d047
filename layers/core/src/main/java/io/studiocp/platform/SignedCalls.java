package io.studiocp.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.http.SdkHttpResponse;
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
 * What the lean clients ({@link AwsJsonClient}, {@link AwsQueryClient}) share: one HTTP request to
 * a service, signed with the SDK's SigV4 signer, sent through the function's HTTP client, retried
 * as the SDK's standard strategy retries. Each protocol says how it reads a refusal.
 */
final class SignedCalls {

  /** One HTTP request of an operation. */
  record Request(SdkHttpMethod method, String path, Map<String, List<String>> query, Map<String, String> headers,
      byte[] body) {}

  /** An answer with a status below 300. */
  record Answer(SdkHttpResponse response, byte[] body) {}

  /** Turns an answer with an error status into the SDK's exception, as the protocol's SDK client would. */
  interface Refusals {
    SdkException refusal(SdkHttpResponse response, byte[] body);

    /** The service's refusal as its SDK client throws it: its status, error code and message. */
    static AwsServiceException of(SdkHttpResponse response, String code, String message, String serviceName) {
      return AwsServiceException.builder()
          .message(message)
          .statusCode(response.statusCode())
          .requestId(response.firstMatchingHeader("x-amzn-RequestId").orElse(null))
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode(code)
              .errorMessage(message)
              .serviceName(serviceName)
              .sdkHttpResponse(response)
              .build())
          .build();
    }
  }

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final String serviceId;
  private final String signingName;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final RetryStrategy retries;
  private final boolean priming;

  SignedCalls(String serviceId, String signingName, URI endpoint, String region, AwsCredentialsProvider credentials,
      SdkHttpClient http, RetryStrategy retries, boolean priming) {
    this.serviceId = serviceId;
    this.signingName = signingName;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.http = http;
    this.retries = retries;
    this.priming = priming;
  }

  URI endpoint() {
    return endpoint;
  }

  /** The same calls, each a priming call ({@link PrimingHttpClient}): answered locally, never sent. */
  SignedCalls priming() {
    return new SignedCalls(serviceId, signingName, endpoint, region, credentials, http, retries, true);
  }

  /**
   * Sends {@code request}, retrying what the SDK's standard strategy retries.
   *
   * @param what the operation, for messages
   * @throws SdkException the protocol's refusal, or an {@link SdkClientException} when no answer came
   */
  Answer call(String what, Request request, Refusals refusals) {
    RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create(serviceId)).token();
    while (true) {
      try {
        Answer answer = attempt(what, request, refusals);
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

  private Answer attempt(String what, Request call, Refusals refusals) {
    String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/$", "");
    boolean hasBody = call.body().length > 0 || call.method() != SdkHttpMethod.GET;
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(call.method())
        .uri(endpoint)
        .encodedPath(basePath.isEmpty() && call.path().isEmpty() ? "/" : basePath + call.path())
        .rawQueryParameters(call.query());
    if (hasBody) {
      request.putHeader("Content-Length", Integer.toString(call.body().length));
    }
    call.headers().forEach(request::putHeader);
    if (priming) {
      request.putHeader(PrimingHttpClient.HEADER, "true");
    }
    // A GET carries no body at all: the URL-connection client would turn a GET with one into a POST.
    ContentStreamProvider payload = hasBody ? ContentStreamProvider.fromByteArrayUnsafe(call.body()) : null;
    SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveCredentials())
        .request(request.build())
        .payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
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
          .message(what + " got no answer from " + endpoint + ": " + e)
          .cause(e)
          .build();
    }
    if (response.httpResponse().statusCode() >= 300) {
      throw refusals.refusal(response.httpResponse(), answer);
    }
    return new Answer(response.httpResponse(), answer);
  }

  private static byte[] read(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = response.responseBody().get()) {
      return in.readAllBytes();
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
