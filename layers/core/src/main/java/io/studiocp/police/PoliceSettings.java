package io.studiocp.police;

import io.studiocp.platform.ConfigurationException;
import io.studiocp.platform.Env;
import io.studiocp.platform.Setting;
import io.studiocp.platform.Settings;
import io.studiocp.pricing.PriceList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The police's settings, read and checked at init; each failure names its template parameter. */
public record PoliceSettings(PolicePolicy policy, PriceList prices, String fromAddress, List<String> adminEmails, String emailTagKey,
    Optional<String> emailPattern, Mailer.SandboxMode sesSandbox, List<String> domainIds) {

  public static PoliceSettings from(Env env) {
    String from = env.require(Settings.POLICE_FROM_ADDRESS);
    requireAddress(Settings.POLICE_FROM_ADDRESS, from);
    List<String> admins = env.list(Settings.POLICE_ADMIN_EMAILS);
    if (admins.isEmpty()) {
      throw new ConfigurationException(Settings.POLICE_ADMIN_EMAILS.describe()
          + " must name at least one address for the admins' digest");
    }
    admins.forEach(a -> requireAddress(Settings.POLICE_ADMIN_EMAILS, a));
    String tagKey = env.text(Settings.POLICE_EMAIL_TAG_KEY, "studiocp:email");
    if (tagKey.length() > 128) {
      throw new ConfigurationException(Settings.POLICE_EMAIL_TAG_KEY.describe() + " is longer than a tag key may be");
    }
    Optional<String> pattern = env.optional(Settings.POLICE_EMAIL_PATTERN);
    if (pattern.isPresent() && !(pattern.get().contains("{profile}")
        && OwnerEmails.isAddress(pattern.get().replace("{profile}", "user")))) {
      throw new ConfigurationException(Settings.POLICE_EMAIL_PATTERN.describe()
          + " must be an address with {profile} in it, such as {profile}@example.com, got '" + pattern.get() + "'");
    }
    Mailer.SandboxMode sandbox;
    try {
      sandbox = Mailer.SandboxMode.valueOf(env.text(Settings.SES_SANDBOX_MODE, "auto").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(Settings.SES_SANDBOX_MODE.describe() + " must be auto, true or false");
    }
    List<String> domains = env.bool(Settings.POLICE_ALL_DOMAINS, false) ? List.of() : env.list(Settings.STUDIO_DOMAIN_IDS);
    if (!env.bool(Settings.POLICE_ALL_DOMAINS, false) && domains.isEmpty()) {
      throw new ConfigurationException(Settings.STUDIO_DOMAIN_IDS.describe()
          + " must name the domains to police, or set PoliceAllDomains=true");
    }
    PolicePolicy policy = PolicePolicy.parse(env.text(Settings.POLICE_POLICY, ""));
    // The policy's own prices (kept for deployments that set them there) win over the price list.
    PriceList prices = PriceList.from(env).withHourly(policy.hourlyPriceUsd());
    return new PoliceSettings(policy, prices, from, admins, tagKey, pattern, sandbox, domains);
  }

  private static void requireAddress(Setting setting, String value) {
    if (!OwnerEmails.isAddress(value)) {
      throw new ConfigurationException(setting.describe() + ": '" + value + "' is not an email address");
    }
  }
}
