package io.studiocp.platform;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostPolicy;
import io.studiocp.hosts.StudioPaths;
import io.studiocp.identity.IdentityPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad template parameter fails init with a message that names the parameter. */
class SettingsTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "DOCKER_PORT|80|DockerPort",
      "DOCKER_PORT|8080|DockerPort",
      "DOCKER_PORT|abc|DockerPort",
      "MAX_HOSTS_PER_USER|0|MaxHostsPerUser",
      "MAX_VOLUME_GIB|10|MaxVolumeGiB",
      "DEFAULT_TTL_HOURS|1000|DefaultTtlHours",
      "ALLOWED_INSTANCE_TYPES|m5.*,,c5.*|AllowedInstanceTypes",
      "ALLOWED_INSTANCE_TYPES|M5 XLARGE|AllowedInstanceTypes",
      "ADMIN_PRINCIPALS|alice|AdminPrincipals",
      "STUDIO_DOMAIN_IDS|domain-1|StudioDomainIds",
      "ALLOW_SHARED_EXECUTION_ROLES|yes|AllowSharedExecutionRoles",
      "STUDIO_HOME_PATH|home/user|StudioHomePath",
  })
  void namesTheParameter(String env, String value, String parameter) {
    Map<String, String> settings = new HashMap<>(Map.of("STUDIO_DOMAIN_IDS", "d-abc"));
    settings.put(env, value);
    Consumer<Env> parseAll = e -> {
      HostPolicy.from(e);
      IdentityPolicy.from(e);
      StudioPaths.from(e);
    };
    ConfigurationException failure = assertThrows(ConfigurationException.class,
        () -> parseAll.accept(Env.of(settings)));
    assertTrue(failure.getMessage().contains(parameter), failure.getMessage());
    assertTrue(failure.getMessage().contains(env), failure.getMessage());
  }
}
