package io.studiocp.police.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Concurrently;
import io.studiocp.police.PoliceTags;
import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import io.studiocp.police.StudioInventory;
import io.studiocp.studio.StudioUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;

/**
 * Studio's running apps in a few sweeps: every page of ListApps and ListSpaces once per domain
 * (domains side by side, a few at a time), and every tag of Studio apps, spaces and user profiles
 * in one paginated GetResources sweep, instead of a ListApps and a ListTags per user. An app's
 * instance type comes from its resource spec; apps without an instance (JupyterServer, "system")
 * cost nothing and are left out.
 */
public final class SageMakerStudioInventory implements StudioInventory {

  private static final int DOMAINS_AT_ONCE = 4;
  private static final List<String> TAGGED_TYPES = List.of("sagemaker:app", "sagemaker:space", "sagemaker:user-profile");

  private final SageMakerClient sagemaker;
  private final ResourceGroupsTaggingApiClient tagging;

  public SageMakerStudioInventory(SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging) {
    this.sagemaker = sagemaker;
    this.tagging = tagging;
  }

  private record DomainContents(DomainDetails domain, List<AppDetails> apps, Map<String, SpaceDetails> spaces) {}

  @Override
  public Snapshot snapshot(List<String> domainIds) {
    CompletableFuture<Map<String, Map<String, String>>> tagSweep = Concurrently.start(() -> tagsByArn(TAGGED_TYPES));
    List<DomainDetails> domains;
    try {
      domains = sagemaker.listDomainsPaginator(r -> r.maxResults(100)).domains().stream()
          .filter(d -> domainIds.isEmpty() || domainIds.contains(d.domainId()))
          .toList();
    } catch (SdkException e) {
      throw AwsFailures.classify("ListDomains", e);
    }
    Semaphore permits = new Semaphore(DOMAINS_AT_ONCE);
    List<CompletableFuture<DomainContents>> reads = domains.stream()
        .map(d -> Concurrently.start(() -> {
          permits.acquire();
          try {
            return read(d);
          } finally {
            permits.release();
          }
        }))
        .toList();
    Map<String, Map<String, String>> tags = Concurrently.join(tagSweep);
    List<PolicedResource> apps = new ArrayList<>();
    List<Space> spaces = new ArrayList<>();
    for (CompletableFuture<DomainContents> read : reads) {
      DomainContents contents = Concurrently.join(read);
      String arnPrefix = contents.domain().domainArn().substring(0, contents.domain().domainArn().indexOf("domain/"));
      for (AppDetails app : contents.apps()) {
        toResource(app, contents, arnPrefix, tags).ifPresent(apps::add);
      }
      contents.spaces().values().forEach(s -> spaces.add(toSpace(s, arnPrefix, tags)));
    }
    return new Snapshot(apps, profilesOf(tags), spaces);
  }

  @Override
  public Map<StudioUser, Map<String, String>> profileTags() {
    return profilesOf(tagsByArn(List.of("sagemaker:user-profile")));
  }

  private static Map<StudioUser, Map<String, String>> profilesOf(Map<String, Map<String, String>> tags) {
    Map<StudioUser, Map<String, String>> profileTags = new HashMap<>();
    tags.forEach((arn, values) -> {
      int at = arn.indexOf(":user-profile/");
      if (at > 0) {
        String[] parts = arn.substring(at + ":user-profile/".length()).split("/");
        if (parts.length == 2 && StudioUser.isDomainId(parts[0]) && StudioUser.isProfileName(parts[1])) {
          profileTags.put(new StudioUser(parts[0], parts[1]), values);
        }
      }
    });
    return profileTags;
  }

  private DomainContents read(DomainDetails domain) {
    try {
      List<AppDetails> apps = sagemaker.listAppsPaginator(r -> r.domainIdEquals(domain.domainId()).maxResults(100))
          .apps().stream().toList();
      Map<String, SpaceDetails> spaces = new LinkedHashMap<>();
      sagemaker.listSpacesPaginator(r -> r.domainIdEquals(domain.domainId()).maxResults(100))
          .spaces().forEach(s -> spaces.put(s.spaceName(), s));
      return new DomainContents(domain, apps, spaces);
    } catch (SdkException e) {
      throw AwsFailures.classify("ListApps/ListSpaces " + domain.domainId(), e);
    }
  }

  private Map<String, Map<String, String>> tagsByArn(List<String> types) {
    try {
      Map<String, Map<String, String>> tags = new HashMap<>();
      tagging.getResourcesPaginator(r -> r.resourceTypeFilters(types).resourcesPerPage(100))
          .resourceTagMappingList().forEach(m -> {
            Map<String, String> values = new HashMap<>();
            m.tags().forEach(t -> values.put(t.key(), t.value()));
            tags.put(m.resourceARN(), values);
          });
      return tags;
    } catch (SdkException e) {
      throw AwsFailures.classify("GetResources (tags of Studio resources)", e);
    }
  }

  private static Optional<PolicedResource> toResource(AppDetails app, DomainContents contents, String arnPrefix,
      Map<String, Map<String, String>> tags) {
    String type = app.resourceSpec() == null ? null : app.resourceSpec().instanceTypeAsString();
    if (!"InService".equals(app.statusAsString()) || type == null || type.isBlank() || type.equals("system")
        || "JupyterServer".equals(app.appTypeAsString())) {
      return Optional.empty();
    }
    String domainId = contents.domain().domainId();
    String appType = app.appTypeAsString();
    if (app.spaceName() != null) {
      SpaceDetails space = contents.spaces().get(app.spaceName());
      boolean shared = space == null || space.spaceSharingSettingsSummary() == null
          || !"Private".equals(space.spaceSharingSettingsSummary().sharingTypeAsString());
      Optional<StudioUser> owner = shared || space.ownershipSettingsSummary() == null ? Optional.empty()
          : Optional.of(new StudioUser(domainId, space.ownershipSettingsSummary().ownerUserProfileName()));
      String arn = appArn(arnPrefix, domainId, app.spaceName(), app);
      Map<String, String> appTags = withSpaceMarks(tags.getOrDefault(arn, Map.of()),
          tags.getOrDefault(spaceArn(arnPrefix, domainId, app.spaceName()), Map.of()));
      return Optional.of(new PolicedResource(ResourceKind.SPACE_APP, arn, app.spaceName() + " (" + appType + " "
          + app.appName() + ")", domainId, owner, type, app.creationTime(), appTags,
          PolicedResource.Location.app(null, app.spaceName(), appType, app.appName())));
    }
    String arn = appArn(arnPrefix, domainId, app.userProfileName(), app);
    return Optional.of(new PolicedResource(ResourceKind.APP, arn, app.appName() + " (" + appType + ")", domainId,
        Optional.of(new StudioUser(domainId, app.userProfileName())), type, app.creationTime(),
        tags.getOrDefault(arn, Map.of()), PolicedResource.Location.app(app.userProfileName(), null, appType, app.appName())));
  }

  private static Space toSpace(SpaceDetails space, String arnPrefix, Map<String, Map<String, String>> tags) {
    String arn = spaceArn(arnPrefix, space.domainId(), space.spaceName());
    String sharing = space.spaceSharingSettingsSummary() == null ? "Shared"
        : space.spaceSharingSettingsSummary().sharingTypeAsString();
    Optional<StudioUser> owner = "Private".equals(sharing) && space.ownershipSettingsSummary() != null
        ? Optional.of(new StudioUser(space.domainId(), space.ownershipSettingsSummary().ownerUserProfileName()))
        : Optional.empty();
    return new Space(space.domainId(), space.spaceName(), arn, owner, sharing, space.statusAsString(),
        tags.getOrDefault(arn, Map.of()));
  }

  private static String spaceArn(String arnPrefix, String domainId, String spaceName) {
    return arnPrefix + "space/" + domainId + "/" + spaceName;
  }

  /**
   * An app in a space is left alone when its space is: an exemption or a snooze set on the space
   * (the admin console's {@code exempt} and {@code snooze} of a space) counts for its apps, unless
   * the app carries its own.
   */
  private static Map<String, String> withSpaceMarks(Map<String, String> appTags, Map<String, String> spaceTags) {
    Map<String, String> merged = new HashMap<>(appTags);
    for (String key : List.of(PoliceTags.EXEMPT, PoliceTags.SNOOZE_UNTIL)) {
      if (!merged.containsKey(key) && spaceTags.containsKey(key)) {
        merged.put(key, spaceTags.get(key));
      }
    }
    return merged;
  }

  /** An app's ARN: its parent is the user profile, or the space it runs in. */
  private static String appArn(String arnPrefix, String domainId, String parent, AppDetails app) {
    return arnPrefix + "app/" + domainId + "/" + parent + "/" + app.appTypeAsString().toLowerCase(Locale.ROOT)
        + "/" + app.appName();
  }
}
