package io.studiocp.police.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Concurrently;
import io.studiocp.police.PoliceTags;
import io.studiocp.police.PolicedResource;
import io.studiocp.police.ResourceKind;
import io.studiocp.police.StudioInventory;
import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.AppSortKey;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;

/**
 * Studio's running apps in a few sweeps: the pages of ListApps of each domain in order of creation,
 * oldest first, only as far as apps old enough to be long running go (domains side by side, a few
 * at a time); ListSpaces only for a domain where such an app runs in a space; then the tags of
 * just those apps, and later of just the profiles whose owners are told, by ARN, a hundred a call,
 * several calls at once. No call per user, and none for the many apps that started recently. An
 * app's instance type comes from its resource spec; apps without an instance (JupyterServer,
 * "system") cost nothing and are left out. The admin report's {@link #snapshot} reads everything
 * instead: every app and space of the domains, with every tag of Studio resources in one sweep.
 */
public final class SageMakerStudioInventory implements StudioInventory {

  private static final int DOMAINS_AT_ONCE = 4;
  /** GetResources takes at most 100 ARNs. */
  static final int ARNS_PER_READ = 100;
  private static final int READS_AT_ONCE = 8;
  private static final List<String> TAGGED_TYPES = List.of("sagemaker:app", "sagemaker:space", "sagemaker:user-profile");

  private final SageMakerClient sagemaker;
  private final ResourceGroupsTaggingApiClient tagging;
  /** Each domain's ARN prefix ({@code arn:aws:sagemaker:<region>:<account>:}), as ListDomains showed it. */
  private final Map<String, String> arnPrefixes = new ConcurrentHashMap<>();

  public SageMakerStudioInventory(SageMakerClient sagemaker, ResourceGroupsTaggingApiClient tagging) {
    this.sagemaker = sagemaker;
    this.tagging = tagging;
  }

  private record DomainContents(DomainDetails domain, List<AppDetails> apps, Map<String, SpaceDetails> spaces) {}

  @Override
  public List<PolicedResource> runningApps(List<String> domainIds, Instant startedBefore,
      Consumer<List<PolicedResource>> onTagged) {
    List<DomainDetails> domains = domains().stream()
        .filter(d -> domainIds.isEmpty() || domainIds.contains(d.domainId()))
        .toList();
    // The tags of the profiles' apps are read while later pages are: a call per hundred found.
    StreamedTagReads profileApps = new StreamedTagReads(this::tagsOfBatch, ARNS_PER_READ, READS_AT_ONCE,
        batch -> onTagged.accept(batch.tagged()));
    List<DomainContents> contents = Concurrently.map(domains, DOMAINS_AT_ONCE,
        d -> read(d, startedBefore, profileApps::add));
    Map<String, Map<String, String>> tags = new HashMap<>(profileApps.finish());
    List<PolicedResource> untagged = new ArrayList<>();
    List<PolicedResource> inSpaces = new ArrayList<>();
    for (DomainContents domain : contents) {
      String arnPrefix = prefix(domain.domain());
      for (AppDetails app : domain.apps()) {
        toResource(app, domain, arnPrefix).ifPresent(r -> {
          untagged.add(r);
          if (r.kind() == ResourceKind.SPACE_APP) {
            inSpaces.add(r);
          }
        });
      }
    }
    // The space apps' tags, and their spaces': an exemption or snooze on a space counts for its apps.
    if (!inSpaces.isEmpty()) {
      List<String> arns = new ArrayList<>(inSpaces.stream().map(PolicedResource::id).toList());
      inSpaces.stream().map(SageMakerStudioInventory::spaceArnOf).flatMap(Optional::stream).forEach(arns::add);
      tags.putAll(tagsOf(arns));
      onTagged.accept(inSpaces.stream().map(r -> tagged(r, tags)).toList());
    }
    return untagged.stream().map(r -> tagged(r, tags)).toList();
  }

  private static PolicedResource tagged(PolicedResource app, Map<String, Map<String, String>> tags) {
    return app.withTags(withSpaceMarks(tags.getOrDefault(key(app.id()), Map.of()),
        spaceArnOf(app).map(s -> tags.getOrDefault(key(s), Map.of())).orElse(Map.of())));
  }

  /** The ARN of the space an app runs in, from the app's own ARN ({@code ...:app/<domain>/<space>/<type>/<name>}). */
  private static Optional<String> spaceArnOf(PolicedResource app) {
    if (app.kind() != ResourceKind.SPACE_APP) {
      return Optional.empty();
    }
    String arn = app.id();
    int at = arn.indexOf(":app/");
    String[] parts = arn.substring(at + ":app/".length()).split("/");
    return at < 0 || parts.length < 2 ? Optional.empty()
        : Optional.of(arn.substring(0, at + 1) + "space/" + parts[0] + "/" + parts[1]);
  }

  @Override
  public Snapshot snapshot(List<String> domainIds) {
    CompletableFuture<Map<String, Map<String, String>>> tagSweep = Concurrently.start(() -> tagsByArn(TAGGED_TYPES));
    List<DomainDetails> domains = domains().stream()
        .filter(d -> domainIds.isEmpty() || domainIds.contains(d.domainId()))
        .toList();
    List<DomainContents> contents = Concurrently.map(domains, DOMAINS_AT_ONCE, this::readAll);
    Map<String, Map<String, String>> tags = Concurrently.join(tagSweep);
    List<PolicedResource> apps = new ArrayList<>();
    List<Space> spaces = new ArrayList<>();
    for (DomainContents domain : contents) {
      String arnPrefix = prefix(domain.domain());
      for (AppDetails app : domain.apps()) {
        toResource(app, domain, arnPrefix).ifPresent(r -> apps.add(r.withTags(withSpaceMarks(
            tags.getOrDefault(r.id(), Map.of()),
            spaceArnOf(r).map(s -> tags.getOrDefault(s, Map.of())).orElse(Map.of())))));
      }
      domain.spaces().values().forEach(s -> spaces.add(toSpace(s, arnPrefix, tags)));
    }
    return new Snapshot(apps, profilesOf(tags), spaces);
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

  /** Every app and space of the domain (the admin report's view). */
  private DomainContents readAll(DomainDetails domain) {
    try {
      List<AppDetails> apps = new BothEnds(sagemaker, domain.domainId()).read();
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

  @Override
  public Map<StudioUser, Map<String, String>> profileTags(Collection<StudioUser> users) {
    if (users.isEmpty()) {
      return Map.of();
    }
    if (!users.stream().allMatch(u -> arnPrefixes.containsKey(u.domainId()))) {
      domains();
    }
    Map<String, StudioUser> byArn = new LinkedHashMap<>();
    for (StudioUser user : users) {
      String prefix = arnPrefixes.get(user.domainId());
      if (prefix != null) { // a domain that no longer exists has no profiles to read
        byArn.put(prefix + "user-profile/" + user.domainId() + "/" + user.userProfileName(), user);
      }
    }
    Map<String, StudioUser> byKey = new HashMap<>();
    byArn.forEach((arn, user) -> byKey.put(key(arn), user));
    Map<StudioUser, Map<String, String>> profileTags = new HashMap<>();
    tagsOf(List.copyOf(byArn.keySet())).forEach((arn, values) -> {
      StudioUser user = byKey.get(arn);
      if (user != null) {
        profileTags.put(user, values);
      }
    });
    return profileTags;
  }

  private List<DomainDetails> domains() {
    try {
      List<DomainDetails> domains = sagemaker.listDomainsPaginator(r -> r.maxResults(100)).domains().stream().toList();
      domains.forEach(d -> arnPrefixes.put(d.domainId(), prefix(d)));
      return domains;
    } catch (SdkException e) {
      throw AwsFailures.classify("ListDomains", e);
    }
  }

  private static String prefix(DomainDetails domain) {
    return domain.domainArn().substring(0, domain.domainArn().indexOf("domain/"));
  }

  /**
   * The domain's apps that started before {@code startedBefore}: ListApps pages oldest first, and
   * no page past the first younger app. The policed apps of profiles go to {@code found} page by
   * page, as they are read; spaces are listed only when such an app runs in one.
   */
  private DomainContents read(DomainDetails domain, Instant startedBefore, Consumer<PolicedResource> found) {
    try {
      String arnPrefix = prefix(domain);
      DomainContents noSpaces = new DomainContents(domain, List.of(), Map.of());
      List<AppDetails> apps = new ArrayList<>();
      for (AppDetails app : sagemaker.listAppsPaginator(r -> r.domainIdEquals(domain.domainId())
          .sortBy(AppSortKey.CREATION_TIME).sortOrder(SortOrder.ASCENDING).maxResults(100)).apps()) {
        if (app.creationTime() != null && !app.creationTime().isBefore(startedBefore)) {
          break; // the rest are younger still: no more pages
        }
        apps.add(app);
        if (app.spaceName() == null) {
          toResource(app, noSpaces, arnPrefix).ifPresent(found);
        }
      }
      Map<String, SpaceDetails> spaces = new LinkedHashMap<>();
      if (apps.stream().anyMatch(a -> a.spaceName() != null && isPoliced(a))) {
        sagemaker.listSpacesPaginator(r -> r.domainIdEquals(domain.domainId()).maxResults(100))
            .spaces().forEach(s -> spaces.put(s.spaceName(), s));
      }
      return new DomainContents(domain, apps, spaces);
    } catch (SdkException e) {
      throw AwsFailures.classify("ListApps/ListSpaces " + domain.domainId(), e);
    }
  }

  /** The tags of these resources by ARN (lower case: ARNs compare so), a hundred a call, several calls at once. */
  private Map<String, Map<String, String>> tagsOf(List<String> arns) {
    Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
    Concurrently.map(Concurrently.batches(arns.stream().distinct().toList(), ARNS_PER_READ), READS_AT_ONCE,
        batch -> {
          tags.putAll(tagsOfBatch(batch));
          return batch.size();
        });
    return tags;
  }

  /** One GetResources call: the tags of at most a hundred resources, by ARN in lower case. */
  private Map<String, Map<String, String>> tagsOfBatch(List<String> arns) {
    try {
      Map<String, Map<String, String>> tags = new HashMap<>();
      tagging.getResources(r -> r.resourceARNList(arns)).resourceTagMappingList().forEach(m -> {
        Map<String, String> values = new HashMap<>();
        m.tags().forEach(t -> values.put(t.key(), t.value()));
        tags.put(key(m.resourceARN()), values);
      });
      return tags;
    } catch (SdkException e) {
      throw AwsFailures.classify("GetResources (tags of Studio resources)", e);
    }
  }

  static String key(String arn) {
    return arn.toLowerCase(Locale.ROOT);
  }

  private static boolean isPoliced(AppDetails app) {
    String type = app.resourceSpec() == null ? null : app.resourceSpec().instanceTypeAsString();
    return "InService".equals(app.statusAsString()) && type != null && !type.isBlank() && !type.equals("system")
        && !"JupyterServer".equals(app.appTypeAsString());
  }

  private static Optional<PolicedResource> toResource(AppDetails app, DomainContents contents, String arnPrefix) {
    if (!isPoliced(app)) {
      return Optional.empty();
    }
    String type = app.resourceSpec().instanceTypeAsString();
    String domainId = contents.domain().domainId();
    String appType = app.appTypeAsString();
    if (app.spaceName() != null) {
      SpaceDetails space = contents.spaces().get(app.spaceName());
      boolean shared = space == null || space.spaceSharingSettingsSummary() == null
          || !"Private".equals(space.spaceSharingSettingsSummary().sharingTypeAsString());
      Optional<StudioUser> owner = shared || space.ownershipSettingsSummary() == null ? Optional.empty()
          : Optional.of(new StudioUser(domainId, space.ownershipSettingsSummary().ownerUserProfileName()));
      String arn = appArn(arnPrefix, domainId, app.spaceName(), app);
      return Optional.of(new PolicedResource(ResourceKind.SPACE_APP, arn, app.spaceName() + " (" + appType + " "
          + app.appName() + ")", domainId, owner, type, app.creationTime(), Map.of(),
          PolicedResource.Location.app(null, app.spaceName(), appType, app.appName())));
    }
    String arn = appArn(arnPrefix, domainId, app.userProfileName(), app);
    return Optional.of(new PolicedResource(ResourceKind.APP, arn, app.appName() + " (" + appType + ")", domainId,
        Optional.of(new StudioUser(domainId, app.userProfileName())), type, app.creationTime(),
        Map.of(), PolicedResource.Location.app(app.userProfileName(), null, appType, app.appName())));
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
