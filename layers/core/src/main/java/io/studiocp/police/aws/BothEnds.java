package io.studiocp.police.aws;

import io.studiocp.platform.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.AppSortKey;
import software.amazon.awssdk.services.sagemaker.model.ListAppsResponse;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;

/**
 * Every app of a domain, read from both ends at once: ListApps oldest first and newest first side
 * by side, until the two sweeps pass each other. A domain's pages come one after another (each
 * needs the last one's token), so one sweep of 30,000 apps is 300 calls in a row; two that meet in
 * the middle take half as long, for one or two pages more.
 *
 * <p>They have met once the oldest-first sweep has read an app created strictly later than one the
 * newest-first sweep has read: every app is then older than the first's newest or younger than
 * the second's oldest, so one of them has it, whatever order SageMaker gives apps created at the
 * same moment. Apps both read are kept once. An app without a creation time stops neither sweep.
 */
final class BothEnds {

  private final SageMakerClient sagemaker;
  private final String domainId;
  /** The newest creation time the oldest-first sweep has read, and the oldest the newest-first one has. */
  private final AtomicReference<Instant> ascendingReached = new AtomicReference<>();
  private final AtomicReference<Instant> descendingReached = new AtomicReference<>();

  BothEnds(SageMakerClient sagemaker, String domainId) {
    this.sagemaker = sagemaker;
    this.domainId = domainId;
  }

  /** Every app listed in the domain, oldest first. A domain of one page is one call, as before. */
  List<AppDetails> read() {
    List<AppDetails> oldest = new ArrayList<>();
    String token = page(SortOrder.ASCENDING, null, oldest);
    if (token == null) {
      return oldest;
    }
    var newestFirst = Concurrently.start(() -> sweep(SortOrder.DESCENDING, null, new ArrayList<>()));
    sweep(SortOrder.ASCENDING, token, oldest);
    List<AppDetails> newest = Concurrently.join(newestFirst);
    Set<String> seen = new HashSet<>();
    List<AppDetails> apps = new ArrayList<>();
    for (AppDetails app : oldest) {
      if (seen.add(key(app))) {
        apps.add(app);
      }
    }
    for (AppDetails app : newest.reversed()) {
      if (seen.add(key(app))) {
        apps.add(app);
      }
    }
    return apps;
  }

  /** Pages in this order from {@code token} (null: the first) into {@code apps}, until the end or the other sweep. */
  private List<AppDetails> sweep(SortOrder order, String token, List<AppDetails> apps) {
    String next = token;
    do {
      next = page(order, next, apps);
    } while (next != null && !met());
    return apps;
  }

  /** One page into {@code apps}; the next page's token, or null after the last. */
  private String page(SortOrder order, String token, List<AppDetails> apps) {
    boolean ascending = order == SortOrder.ASCENDING;
    AtomicReference<Instant> reached = ascending ? ascendingReached : descendingReached;
    ListAppsResponse page = sagemaker.listApps(r -> r.domainIdEquals(domainId).sortBy(AppSortKey.CREATION_TIME)
        .sortOrder(order).maxResults(100).nextToken(token));
    apps.addAll(page.apps());
    page.apps().stream().map(AppDetails::creationTime).filter(t -> t != null).forEach(t ->
        reached.accumulateAndGet(t, (a, b) -> a == null ? b : ascending ? later(a, b) : earlier(a, b)));
    String next = page.nextToken();
    return next == null || next.isEmpty() ? null : next;
  }

  private boolean met() {
    Instant ascending = ascendingReached.get();
    Instant descending = descendingReached.get();
    return ascending != null && descending != null && ascending.isAfter(descending);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** What tells apps apart: where it runs, its type and name, and when it was created (a name is reused). */
  private static String key(AppDetails app) {
    return app.userProfileName() + "/" + app.spaceName() + "/" + app.appTypeAsString() + "/" + app.appName() + "/"
        + app.creationTime();
  }
}
