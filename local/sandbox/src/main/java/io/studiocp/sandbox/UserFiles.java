package io.studiocp.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What each seeded user gets on this machine: a home directory (their "EFS home", at the same
 * path the control plane tells hosts to mount), a Studio metadata file like
 * /opt/ml/metadata/resource-metadata.json, and a file of shell variables that makes a shell act as
 * that user (their key pair, the API endpoint, the metadata file, HOME, and sdocker on the PATH).
 * A laptop gets no metadata file: the user profile it acts as is in its ~/.sdocker/config.json, as a
 * laptop user would write it.
 */
final class UserFiles {

  /** Where `make build` puts the client users install; the sandbox runs from the repository root. */
  private static final Path CLIENT_DIRECTORY = Path.of("client", "dist").toAbsolutePath();

  private UserFiles() {}

  static Path home(Path stateDir, String user) {
    return stateDir.resolve("homes").resolve(user);
  }

  static Path envFile(Path stateDir, String user) {
    return stateDir.resolve("users").resolve(user + ".env");
  }

  static void write(Path stateDir, SandboxSeed seed, String apiEndpoint) {
    try {
      Files.createDirectories(stateDir.resolve("users"));
      for (SandboxSeed.User user : seed.users()) {
        Path home = home(stateDir, user.name());
        Path metadata = home.resolve(".sandbox/resource-metadata.json");
        Files.createDirectories(metadata.getParent());
        Files.writeString(metadata, """
            {"AppType": "KernelGateway", "DomainId": "%s", "UserProfileName": "%s",
             "ResourceArn": "arn:aws:sagemaker:%s:%s:app/%s/%s/kernelgateway/sandbox", "ResourceName": "sandbox"}
            """.formatted(user.domainId(), user.name(), seed.region(), seed.accountId(), user.domainId(), user.name()));
        write(envFile(stateDir, user.name()), user.accessKeyId(), user.secretAccessKey(), seed.region(),
            apiEndpoint, home, metadata);
      }
      for (SandboxSeed.Laptop laptop : seed.laptops()) {
        Path home = stateDir.resolve("homes").resolve(laptop.name());
        Files.createDirectories(home.resolve(".sdocker"));
        Files.writeString(home.resolve(".sdocker/config.json"), """
            {"domainId": "%s", "userProfile": "%s"}
            """.formatted(laptop.domainId(), laptop.userProfile()));
        write(envFile(stateDir, laptop.name()), laptop.accessKeyId(), laptop.secretAccessKey(), seed.region(),
            apiEndpoint, home, null);
      }
      for (SandboxSeed.Admin admin : seed.admins()) {
        Path home = stateDir.resolve("homes").resolve(admin.name());
        Files.createDirectories(home);
        write(envFile(stateDir, admin.name()), admin.accessKeyId(), admin.secretAccessKey(), seed.region(),
            apiEndpoint, home, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the users' files under " + stateDir, e);
    }
  }

  private static void write(Path file, String key, String secret, String region, String endpoint, Path home,
      Path metadata) throws IOException {
    StringBuilder env = new StringBuilder()
        .append("# source this file to act as this sandbox user\n")
        .append("unset AWS_SESSION_TOKEN AWS_PROFILE\n")
        .append("export AWS_ACCESS_KEY_ID=").append(key).append('\n')
        .append("export AWS_SECRET_ACCESS_KEY=").append(secret).append('\n')
        .append("export AWS_DEFAULT_REGION=").append(region).append(" AWS_REGION=").append(region).append('\n')
        .append("export SDOCKER_ENDPOINT=").append(endpoint).append('\n')
        .append("export HOME=").append(home).append('\n')
        .append("export PATH=").append(CLIENT_DIRECTORY).append(":$PATH\n");
    if (metadata != null) {
      env.append("export SDOCKER_METADATA_FILE=").append(metadata).append('\n');
    } else {
      env.append("unset SDOCKER_METADATA_FILE\n");
    }
    Files.writeString(file, env.toString());
  }
}
