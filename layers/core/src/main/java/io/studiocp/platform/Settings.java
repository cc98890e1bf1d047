package io.studiocp.platform;

/** Every setting of the control plane, with the template parameter that sets it. */
public final class Settings {

  private Settings() {}

  public static final Setting REGION = new Setting("AWS_REGION");
  public static final Setting STUDIO_DOMAIN_IDS = new Setting("STUDIO_DOMAIN_IDS", "StudioDomainIds");
  public static final Setting DOCKER_PORT = new Setting("DOCKER_PORT", "DockerPort");
  public static final Setting ALLOWED_INSTANCE_TYPES =
      new Setting("ALLOWED_INSTANCE_TYPES", "AllowedInstanceTypes");
  public static final Setting MAX_HOSTS_PER_USER = new Setting("MAX_HOSTS_PER_USER", "MaxHostsPerUser");
  public static final Setting DEFAULT_VOLUME_GIB = new Setting("DEFAULT_VOLUME_GIB", "DefaultVolumeGiB");
  public static final Setting MAX_VOLUME_GIB = new Setting("MAX_VOLUME_GIB", "MaxVolumeGiB");
  public static final Setting DEFAULT_TTL_HOURS = new Setting("DEFAULT_TTL_HOURS", "DefaultTtlHours");
  public static final Setting MAX_TTL_HOURS = new Setting("MAX_TTL_HOURS", "MaxTtlHours");
  public static final Setting ADMIN_PRINCIPALS = new Setting("ADMIN_PRINCIPALS", "AdminPrincipals");
  public static final Setting ALLOW_SHARED_EXECUTION_ROLES =
      new Setting("ALLOW_SHARED_EXECUTION_ROLES", "AllowSharedExecutionRoles");
  public static final Setting PROVISIONING_TIMEOUT_SECONDS =
      new Setting("PROVISIONING_TIMEOUT_SECONDS", "ProvisioningTimeoutSeconds");
  public static final Setting STUDIO_HOME_PATH = new Setting("STUDIO_HOME_PATH", "StudioHomePath");
  public static final Setting STUDIO_USER_GID = new Setting("STUDIO_USER_GID", "StudioUserGid");
  public static final Setting POLICE_POLICY = new Setting("POLICE_POLICY", "PolicePolicy");
  public static final Setting POLICE_FROM_ADDRESS = new Setting("POLICE_FROM_ADDRESS", "PoliceFromAddress");
  public static final Setting POLICE_ADMIN_EMAILS = new Setting("POLICE_ADMIN_EMAILS", "PoliceAdminEmails");
  public static final Setting POLICE_EMAIL_TAG_KEY = new Setting("POLICE_EMAIL_TAG_KEY", "PoliceEmailTagKey");
  public static final Setting POLICE_EMAIL_PATTERN = new Setting("POLICE_EMAIL_PATTERN", "PoliceEmailPattern");
  public static final Setting POLICE_ALL_DOMAINS = new Setting("POLICE_ALL_DOMAINS", "PoliceAllDomains");
  public static final Setting PRICE_OVERRIDES = new Setting("PRICE_OVERRIDES", "PriceOverrides");
  public static final Setting SES_SANDBOX_MODE = new Setting("SES_SANDBOX_MODE", "SesSandboxMode");
  public static final Setting STATE_MACHINE_ARN = new Setting("STATE_MACHINE_ARN");
  public static final Setting START_STATE_MACHINE_ARN = new Setting("START_STATE_MACHINE_ARN");
  public static final Setting MAX_HOST_LIFETIME_HOURS =
      new Setting("MAX_HOST_LIFETIME_HOURS", "MaxHostLifetimeHours");
  public static final Setting EXPIRY_WARNING_MINUTES = new Setting("EXPIRY_WARNING_MINUTES", "ExpiryWarningMinutes");
  public static final Setting EXPIRED_HOST_ACTION = new Setting("EXPIRED_HOST_ACTION", "ExpiredHostAction");
  public static final Setting IDLE_STOP_MINUTES = new Setting("IDLE_STOP_MINUTES", "IdleStopMinutes");
  public static final Setting IDLE_GRACE_MINUTES = new Setting("IDLE_GRACE_MINUTES", "IdleGraceMinutes");
  /** The name of the role SSM gives the nodes the SSH activations register (the template's SshManagedNodeRole). */
  public static final Setting SSH_ACTIVATION_ROLE = new Setting("SSH_ACTIVATION_ROLE");
  public static final Setting SSH_ACTIVATION_MINUTES = new Setting("SSH_ACTIVATION_MINUTES", "SshActivationMinutes");
  public static final Setting SSH_OFFLINE_MINUTES = new Setting("SSH_OFFLINE_MINUTES", "SshOfflineMinutes");
  /** The warm pool: per domain, ready hosts per instance type and the hours they are kept ({@code PoolSettings}). */
  public static final Setting WARM_POOL = new Setting("WARM_POOL", "WarmPool");
  /** The queue service's endpoint for pool hosts, when not the region's public one (the sandbox's). */
  public static final Setting HOST_SQS_ENDPOINT = new Setting("HOST_SQS_ENDPOINT");
  public static final Setting HOST_INSTANCE_PROFILE_ARN = new Setting("HOST_INSTANCE_PROFILE_ARN");
}
