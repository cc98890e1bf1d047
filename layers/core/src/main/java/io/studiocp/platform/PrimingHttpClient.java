package io.studiocp.platform;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client under every SDK client of a function: it passes calls on, except a priming call
 * (one carrying {@link #PRIMING}'s header), which it answers itself with an empty success and never
 * sends. So a SnapStart priming hook can run a client's whole path — endpoint rules, marshalling,
 * signing, unmarshalling — with no network and no effect on AWS.
 */
public final class PrimingHttpClient implements SdkHttpClient {

  /** The header that marks a priming call; it never leaves the function. */
  public static final String HEADER = "x-studiocp-priming";

  /** Put on a request ({@code r.overrideConfiguration(PRIMING)}) to make it a priming call. */
  public static final AwsRequestOverrideConfiguration PRIMING = AwsRequestOverrideConfiguration.builder()
      .putHeader(HEADER, "true")
      .build();

  private final SdkHttpClient delegate;

  public PrimingHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    if (request.httpRequest().firstMatchingHeader(HEADER).isEmpty()) {
      return delegate.prepareRequest(request);
    }
    // JSON protocols read "{}" as an empty answer; the query (XML) protocols an empty document.
    boolean json = request.httpRequest().firstMatchingHeader("Content-Type").map(t -> t.contains("json")).orElse(true);
    byte[] body = (json ? "{}" : "<PrimingResponse/>").getBytes(StandardCharsets.UTF_8);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return HttpExecuteResponse.builder()
            .response(SdkHttpResponse.builder().statusCode(200)
                .putHeader("Content-Type", json ? "application/x-amz-json-1.1" : "text/xml")
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("x-amzn-RequestId", "priming")
                .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
