package io.studiocp.ssh;

import java.util.List;

/**
 * The SSM tags of an activation and, as SSM copies an activation's tags to the node it registers,
 * of that managed node. {@link #OWNER} is the key the users' shipped policy conditions
 * {@code ssm:StartSession} on ({@code ssm:resourceTag/studiocp:owner}); Docker hosts carry the same
 * key on their EC2 instance, so one condition covers both.
 */
public final class SshTags {

  private SshTags() {}

  /** The same key as a host's (SSM's tags are not the fleet's: SshCleanupPlannerTest keeps the keys equal). */
  public static final String MANAGED = "studiocp:managed";
  /** {@code <domainId>/<userProfile>}, the same key and value as on hosts. */
  public static final String OWNER = "studiocp:owner";
  /** {@code app/<name>}, {@code space/<name>}: what the node runs in (see {@link SshTarget}). */
  public static final String TARGET = "studiocp:ssh-target";
  /** When the activation was asked for (ISO-8601). */
  public static final String REQUESTED_AT = "studiocp:ssh-requested-at";
  /** The public key its owner's laptop put in place (one OpenSSH line, without its comment). */
  public static final String PUBLIC_KEY = "studiocp:ssh-public-key";

  /** What every activation carries, and so every node it registers. */
  public static final List<String> ACTIVATION_KEYS = List.of(MANAGED, OWNER, TARGET, REQUESTED_AT);
}
