package io.studiocp.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The yardstick: the least a Java Lambda that uses AWS does, one EC2 client built once and one call. */
public final class BaselineHandler implements RequestStreamHandler {

  private static final Ec2Client EC2 = Ec2Client.builder()
      .region(Region.of(System.getenv("AWS_REGION")))
      .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
      .httpClient(UrlConnectionHttpClient.create())
      .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
      .build();

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    int reservations = EC2.describeInstances().reservations().size();
    output.write(("{\"reservations\":" + reservations + "}").getBytes(StandardCharsets.UTF_8));
  }
}
