package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Feishu app a job acts as. A Camunda tenant may use the apps that list it in their camunda-tenants, and the
 * default app when no app lists it and such tenants are not refused. The task header {@code feishuApp} picks one of
 * those; without it the job acts as the default app when that lists the tenant, else as the one app that does.
 */
final class AppRouting {

  /** The tenant of every job on an engine without multi-tenancy, as Camunda names it. */
  public static final String DEFAULT_TENANT = "<default>";

  private final FeishuApps apps;
  private final Map<String, List<String>> appsByTenant;
  private final boolean refuseUnmappedTenants;

  /**
   * @param appsByTenant for each Camunda tenant some app lists, the names of the apps listing it
   * @param refuseUnmappedTenants whether a tenant no app lists is refused rather than served by the default app
   */
  public AppRouting(FeishuApps apps, Map<String, List<String>> appsByTenant, boolean refuseUnmappedTenants) {
    this.apps = apps;
    this.appsByTenant = Map.copyOf(appsByTenant);
    this.refuseUnmappedTenants = refuseUnmappedTenants;
  }

  /** The app for the job, or null after adding to {@code problems} why there is none. */
  FeishuClient appFor(Optional<String> header, String tenantId, List<String> problems) {
    // an engine without multi-tenancy may hand out jobs with no tenant id: they are the default tenant's
    String tenant = tenantId == null || tenantId.isEmpty() ? DEFAULT_TENANT : tenantId;
    List<String> usable = usableBy(tenant);
    if (header.isPresent()) {
      // one answer for an unknown and a forbidden name, naming no app: a task must not learn other tenants' apps
      if (!usable.contains(header.get())) {
        problems.add("task header feishuApp names the app '" + printable(header.get()) + "', which the Camunda "
            + "tenant '" + printable(tenant) + "' may not use: " + (usable.isEmpty() ? "no Feishu app serves it"
            : "it may use " + String.join(", ", usable)) + "; an app serves the tenants its camunda-tenants list "
            + "(feishu.camunda-tenants or feishu.apps.<name>.camunda-tenants)");
        return null;
      }
      return apps.named(header.get()).orElseThrow();
    }
    if (usable.isEmpty()) {
      problems.add("no Feishu app serves the Camunda tenant '" + printable(tenant) + "': add the tenant to a "
          + "camunda-tenants list of feishu.* or feishu.apps.<name>.*");
      return null;
    }
    if (usable.contains(FeishuApps.DEFAULT)) return apps.defaultApp();
    if (usable.size() > 1) {
      problems.add("the Camunda tenant '" + printable(tenant) + "' may use the Feishu apps " + String.join(", ", usable)
          + ": name one in the task header feishuApp");
      return null;
    }
    return apps.named(usable.getFirst()).orElseThrow();
  }

  private List<String> usableBy(String tenant) {
    List<String> listing = appsByTenant.get(tenant);
    if (listing != null) return listing;
    return refuseUnmappedTenants ? List.of() : List.of(FeishuApps.DEFAULT);
  }

  /** A name from a header or tenant id, shortened and stripped of anything that could forge a log line. */
  static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("[^\\p{Alnum}_.<>-]", "?");
  }
}
