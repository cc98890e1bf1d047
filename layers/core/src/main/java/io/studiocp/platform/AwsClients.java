package io.studiocp.platform;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the SDK clients a function needs, once per container: the region and credentials set
 * explicitly, the lightweight URL-connection HTTP client, standard retries with backoff and
 * jitter, and, where {@code AWS_ENDPOINT_URL_<SERVICE>} (or {@code AWS_ENDPOINT_URL}) is set, that
 * endpoint — which is how the tests and the sandbox point the real clients at local stand-ins.
 */
public final class AwsClients {

  private final Env env;
  private final Region region;
  private final EnvCredentialsProvider credentials;
  private final SdkHttpClient http;

  public AwsClients(Env env) {
    this.env = env;
    this.region = Region.of(env.require(Settings.REGION));
    this.credentials = new EnvCredentialsProvider(env);
    this.http = new PrimingHttpClient(UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(3))
        .socketTimeout(Duration.ofSeconds(30))
        .build());
  }

  public Region region() {
    return region;
  }

  /**
   * Configures {@code builder} and builds the client.
   *
   * @param serviceId the service's id as in {@code AWS_ENDPOINT_URL_<ID>}, e.g. {@code EC2}, {@code SAGEMAKER}
   * @param maxAttempts how many times the SDK tries a call that fails transiently
   */
  public <B extends AwsClientBuilder<B, C>, C> C build(B builder, String serviceId, int maxAttempts) {
    builder.region(region)
        .credentialsProvider(credentials)
        // Extends what the caller configured (a test's interceptor, say) instead of replacing it.
        .overrideConfiguration(builder.overrideConfiguration().toBuilder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .build())
            .apiCallTimeout(Duration.ofSeconds(60))
            .build());
    endpoint(serviceId).ifPresent(builder::endpointOverride);
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(http);
    }
    return builder.build();
  }

  public <B extends AwsClientBuilder<B, C>, C> C build(B builder, String serviceId) {
    return build(builder, serviceId, 4);
  }

  /**
   * A lean client for a few operations of a JSON-protocol service ({@link AwsJsonClient}), set up
   * as {@link #build} sets up an SDK client: the same region, credentials, HTTP client, standard
   * retries ({@code maxAttempts} tries) and endpoint override.
   */
  public AwsJsonClient json(AwsJsonClient.Service service, int maxAttempts) {
    return new AwsJsonClient(service, signedCalls(service.serviceId(), service.signingName(),
        service.endpointPrefix(), maxAttempts));
  }

  public AwsJsonClient json(AwsJsonClient.Service service) {
    return json(service, 4);
  }

  /**
   * A lean client for a few operations of a query-protocol service ({@link AwsQueryClient}: EC2's),
   * set up as {@link #json} sets up its JSON one.
   */
  public AwsQueryClient query(AwsQueryClient.Service service, int maxAttempts) {
    return new AwsQueryClient(service, signedCalls(service.serviceId(), service.signingName(),
        service.endpointPrefix(), maxAttempts));
  }

  public AwsQueryClient query(AwsQueryClient.Service service) {
    return query(service, 4);
  }

  private SignedCalls signedCalls(String serviceId, String signingName, String endpointPrefix, int maxAttempts) {
    URI endpoint = endpoint(serviceId).orElseGet(() -> URI.create("https://" + endpointPrefix
        + "." + region.id() + "." + PartitionMetadata.of(region).dnsSuffix()));
    return new SignedCalls(serviceId, signingName, endpoint, region.id(), credentials, http,
        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build(), false);
  }

  private Optional<URI> endpoint(String serviceId) {
    return env.optional("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT))
        .or(() -> env.optional("AWS_ENDPOINT_URL"))
        .map(URI::create);
  }
}
