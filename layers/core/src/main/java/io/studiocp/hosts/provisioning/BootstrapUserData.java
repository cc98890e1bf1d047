package io.studiocp.hosts.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The user data of a host: {@code host/bootstrap.sh} with its values block filled in and its
 * comments left out (EC2 takes at most 16 KB). The only secret-like value it carries is the task
 * token, which lets the host report back once and nothing else.
 */
public final class BootstrapUserData {

  /** The task token in a pool host's script until a claim or a start gives it a real one. */
  public static final String POOL_TOKEN = "pool";
  static final String PLACEHOLDER = "# @STUDIOCP_RENDERED_VALUES@";
  public static final int MAX_BYTES = 16 * 1024;
  private static final Pattern TOKEN_LINE = Pattern.compile("(?m)^SDOCKER_TASK_TOKEN='([^']*)'$");
  private static final Pattern COMMENT = Pattern.compile("^\\s*#(?!!).*$|^\\s*$");

  private final String template;

  private BootstrapUserData(String template) {
    if (!template.contains(PLACEHOLDER)) {
      throw new IllegalStateException("bootstrap.sh lacks the line " + PLACEHOLDER);
    }
    this.template = template;
  }

  /** The script packaged with the layer (copied from host/bootstrap.sh at build time). */
  public static BootstrapUserData packaged() {
    try (InputStream in = BootstrapUserData.class.getResourceAsStream("/io/studiocp/hosts/bootstrap.sh")) {
      if (in == null) {
        throw new IllegalStateException("bootstrap.sh is not on the classpath");
      }
      return new BootstrapUserData(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BootstrapUserData of(String template) {
    return new BootstrapUserData(template);
  }

  /**
   * The script for one host.
   *
   * @param sfnEndpoint where the host reports back; empty for the region's public endpoint
   */
  public String render(LaunchPlan plan, String taskToken, String region, Optional<String> sfnEndpoint) {
    return script(block(identity(plan, taskToken, region, sfnEndpoint)));
  }

  /**
   * The script of a warm pool host: bootstrap.sh in pool mode. It carries no identity, only where
   * to wait for one (its domain's and type's queue) and the placeholder task token {@value #POOL_TOKEN}
   * (so that {@link #withTaskToken} works for its later starts as for any host's).
   *
   * @param sqsEndpoint where the queue is reached, when not the region's public SQS endpoint (the sandbox's)
   */
  public String renderPool(String queueUrl, String region, Optional<String> sqsEndpoint,
      Optional<String> sfnEndpoint) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SDOCKER_POOL_QUEUE_URL", queueUrl);
    values.put("SDOCKER_REGION", region);
    sqsEndpoint.ifPresent(endpoint -> values.put("SDOCKER_SQS_ENDPOINT", endpoint));
    sfnEndpoint.ifPresent(endpoint -> values.put("SDOCKER_SFN_ENDPOINT", endpoint));
    values.put("SDOCKER_TASK_TOKEN", POOL_TOKEN);
    return script(block(values));
  }

  /**
   * What a claim hands a pool host: base64 of the same values block {@link #render} puts in a fresh
   * host's script (its identity and the task token to report to), one {@code SDOCKER_...='...'} line each.
   */
  public static String claimBody(LaunchPlan plan, String taskToken, String region, Optional<String> sfnEndpoint) {
    String block = block(identity(plan, taskToken, region, sfnEndpoint));
    return Base64.getEncoder().encodeToString((block + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> identity(LaunchPlan plan, String taskToken, String region,
      Optional<String> sfnEndpoint) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SDOCKER_HOST_ID", plan.hostId().value());
    values.put("SDOCKER_REGION", region);
    values.put("SDOCKER_DOCKER_PORT", Integer.toString(plan.dockerPort()));
    values.put("SDOCKER_UID", Long.toString(plan.uid()));
    values.put("SDOCKER_GID", Long.toString(plan.gid()));
    values.put("SDOCKER_HOME", plan.homePath());
    values.put("SDOCKER_CERT_DIR", plan.certDirectory());
    values.put("SDOCKER_MOUNTS", plan.mounts().stream().map(NfsMount::spec).collect(Collectors.joining(" ")));
    values.put("SDOCKER_GPU", Boolean.toString(plan.gpu()));
    sfnEndpoint.ifPresent(endpoint -> values.put("SDOCKER_SFN_ENDPOINT", endpoint));
    values.put("SDOCKER_TASK_TOKEN", taskToken);
    return values;
  }

  private static String block(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + quote(e.getKey(), e.getValue()))
        .collect(Collectors.joining("\n"));
  }

  private String script(String block) {
    String script = template.lines()
        .map(line -> line.strip().equals(PLACEHOLDER) ? block : line)
        .filter(line -> line == block || !COMMENT.matcher(line).matches())
        .collect(Collectors.joining("\n", "", "\n"));
    int size = compressedSize(script);
    if (size > MAX_BYTES) {
      throw new ProvisioningException("the host's user data would be " + size + " bytes compressed; EC2 takes at most "
          + MAX_BYTES);
    }
    return script;
  }

  /** The script as EC2 keeps it: gzip-compressed (cloud-init unpacks it; EC2 takes 16 KiB). */
  public static byte[] compress(String script) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
      gzip.write(script.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The size the script has as EC2 keeps it. */
  public static int compressedSize(String script) {
    return compress(script).length;
  }

  /** The task token a rendered script carries, if it is one of ours. */
  public static Optional<String> taskToken(String userData) {
    Matcher m = TOKEN_LINE.matcher(userData);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The same script calling back with another task token (a start's), everything else unchanged.
   *
   * @throws IllegalArgumentException when the script is not one of ours
   */
  public static String withTaskToken(String userData, String taskToken) {
    Matcher m = TOKEN_LINE.matcher(userData);
    if (!m.find()) {
      throw new IllegalArgumentException("not a boot script of the control plane: it has no task token line");
    }
    return userData.substring(0, m.start()) + "SDOCKER_TASK_TOKEN=" + quote("SDOCKER_TASK_TOKEN", taskToken)
        + userData.substring(m.end());
  }

  private static String quote(String name, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
      throw new ProvisioningException(name + " cannot hold a line break");
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
