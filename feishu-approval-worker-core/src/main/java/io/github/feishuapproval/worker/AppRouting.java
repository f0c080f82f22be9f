package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Feishu app a job acts as: the one its task header {@code feishuApp} names; else the app that serves the job's
 * Camunda tenant; else the default app, unless jobs of tenants without an app are to be refused.
 */
final class AppRouting {

  private final FeishuApps apps;
  private final Map<String, String> appByTenant;
  private final boolean refuseUnmappedTenants;

  /**
   * @param appByTenant the app name serving each Camunda tenant that has one of its own
   * @param refuseUnmappedTenants whether a job of a tenant without an app, and without the header, is an incident
   */
  public AppRouting(FeishuApps apps, Map<String, String> appByTenant, boolean refuseUnmappedTenants) {
    this.apps = apps;
    this.appByTenant = Map.copyOf(appByTenant);
    this.refuseUnmappedTenants = refuseUnmappedTenants;
  }

  /** The app for the job, or null after adding to {@code problems} why there is none. */
  FeishuClient appFor(Optional<String> header, String tenantId, List<String> problems) {
    if (header.isPresent()) {
      Optional<FeishuClient> named = apps.named(header.get());
      if (named.isEmpty()) {
        problems.add("task header feishuApp names the app '" + printable(header.get())
            + "', which is not configured (configured: " + String.join(", ", apps.names()) + ")");
      }
      return named.orElse(null);
    }
    String mapped = tenantId == null ? null : appByTenant.get(tenantId);
    if (mapped != null) return apps.named(mapped).orElseThrow();
    if (refuseUnmappedTenants) {
      problems.add("no Feishu app serves the Camunda tenant '" + printable(String.valueOf(tenantId))
          + "' and the task has no feishuApp header: add the tenant to a camunda-tenants list of feishu.* or "
          + "feishu.apps.<name>.*, or set the header");
      return null;
    }
    return apps.defaultApp();
  }

  /** A name from a header or tenant id, shortened and stripped of anything that could forge a log line. */
  static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("[^\\p{Alnum}_.<>-]", "?");
  }
}
