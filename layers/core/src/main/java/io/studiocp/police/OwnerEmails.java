package io.studiocp.police;

import io.studiocp.studio.StudioDirectory;
import io.studiocp.studio.StudioDomain;
import io.studiocp.studio.StudioUser;
import io.studiocp.studio.UserProfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where a user's reminders go: the user profile's email tag; else, in an IAM Identity Center
 * domain, its SSO user value when that is an address; else the configured pattern ({@code {profile}} with '-' read as '.', as the seed
 * did); else the admins, so that nothing is silently lost.
 */
public final class OwnerEmails {

  public enum Source { TAG, SSO, PATTERN, ADMINS }

  public record Resolution(List<String> addresses, Source source) {}

  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");

  private final String tagKey;
  private final Optional<String> pattern;
  private final List<String> admins;
  private final StudioDirectory directory;
  private final Map<StudioUser, Optional<String>> ssoValues = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ssoDomains = new ConcurrentHashMap<>();

  public OwnerEmails(String tagKey, Optional<String> pattern, List<String> admins, StudioDirectory directory) {
    this.tagKey = tagKey;
    this.pattern = pattern;
    this.admins = List.copyOf(admins);
    this.directory = directory;
  }

  /**
   * Only an IAM Identity Center domain's profiles have SSO user values: one DescribeDomain per
   * domain spares a DescribeUserProfile per user everywhere else.
   */
  private boolean singleSignOn(String domainId) {
    return ssoDomains.computeIfAbsent(domainId, d -> directory.domain(d).map(StudioDomain::singleSignOn).orElse(false));
  }

  public static boolean isAddress(String text) {
    return text != null && ADDRESS.matcher(text.strip()).matches();
  }

  /**
   * @param profileTags the profile's tags as the run's tag sweep found them (no call needed)
   */
  public Resolution resolve(StudioUser user, Map<String, String> profileTags) {
    String tagged = profileTags.get(tagKey);
    if (isAddress(tagged)) {
      return new Resolution(List.of(tagged.strip()), Source.TAG);
    }
    Optional<String> sso = !singleSignOn(user.domainId()) ? Optional.empty()
        : ssoValues.computeIfAbsent(user, u -> directory.userProfile(u)
            .flatMap(UserProfile::ssoUserValue).filter(OwnerEmails::isAddress));
    if (sso.isPresent()) {
      return new Resolution(List.of(sso.get().strip()), Source.SSO);
    }
    if (pattern.isPresent()) {
      String address = pattern.get().replace("{profile}", user.userProfileName().replace('-', '.'));
      if (isAddress(address)) {
        return new Resolution(List.of(address), Source.PATTERN);
      }
    }
    return new Resolution(admins, Source.ADMINS);
  }
}
