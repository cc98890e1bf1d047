package io.studiocp.platform;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

/**
 * Credentials from the function's settings: the key pair Lambda puts in the environment, or, where
 * there is none (SnapStart restores), the container credentials endpoint. Explicit, with no
 * provider chain to probe at cold start.
 */
final class EnvCredentialsProvider implements AwsCredentialsProvider {

  private final Env env;
  private volatile ContainerCredentialsProvider container;

  EnvCredentialsProvider(Env env) {
    this.env = env;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    var accessKey = env.optional("AWS_ACCESS_KEY_ID");
    var secretKey = env.optional("AWS_SECRET_ACCESS_KEY");
    if (accessKey.isPresent() && secretKey.isPresent()) {
      var sessionToken = env.optional("AWS_SESSION_TOKEN");
      return sessionToken.<AwsCredentials>map(
              token -> AwsSessionCredentials.create(accessKey.get(), secretKey.get(), token))
          .orElseGet(() -> AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
    }
    if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()
        || env.optional("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isPresent()) {
      ContainerCredentialsProvider provider = container;
      if (provider == null) {
        provider = ContainerCredentialsProvider.builder().build();
        container = provider;
      }
      return provider.resolveCredentials();
    }
    throw new ConfigurationException("no AWS credentials: set AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY, or run where the container credentials endpoint is available");
  }
}
