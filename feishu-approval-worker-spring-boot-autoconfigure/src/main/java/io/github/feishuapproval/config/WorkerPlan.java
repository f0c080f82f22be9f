package io.github.feishuapproval.config;

import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.feishuapproval.feishu.BaseUrls;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.worker.JobOperation;
import io.github.feishuapproval.worker.JobSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the worker will run, checked as a whole before anything starts: the job types it opens with their settings,
 * the job timeout every Feishu call must fit in, and which Feishu apps serve which Camunda tenant.
 *
 * @param appsByTenant for each Camunda tenant some app lists, the names of the apps listing it, the default app first
 */
record WorkerPlan(List<JobSubscription> subscriptions, Duration shortestJobTimeout, String timeoutProperty,
    Map<String, List<String>> appsByTenant) {

  private static final Duration QUOTA_WAIT_MARGIN = Duration.ofSeconds(5);

  static WorkerPlan of(FeishuProperties properties, CamundaClientProperties camunda, List<JobOperation> operations) {
    List<JobSubscriptions.Resolved> resolved = JobSubscriptions.resolve(camunda, properties.worker(), operations);
    if (resolved.isEmpty()) {
      throw new InvalidConfigurationException("every Feishu job type is switched off by camunda.client.worker."
          + "defaults.enabled or camunda.client.worker.override.<type>.enabled: enable at least one, or leave the "
          + "worker out");
    }
    JobSubscriptions.Resolved shortest = resolved.stream()
        .min(Comparator.comparing(r -> r.subscription().timeout())).orElseThrow();
    JobSubscriptions.Resolved longest = resolved.stream()
        .max(Comparator.comparing(r -> r.subscription().timeout())).orElseThrow();
    Duration grace = properties.worker().shutdownGrace();
    if (grace.compareTo(longest.subscription().timeout()) < 0) {
      // a job is never in the worker's hands longer than its timeout; a shorter grace could abandon a call under way
      throw new InvalidConfigurationException("feishu.worker.shutdown-grace (" + grace + ") must be at least the job "
          + "timeout (" + longest.subscription().timeout() + ", from " + longest.timeoutProperty() + "), so a "
          + "stopping worker answers every job it holds instead of leaving it locked while Feishu may already have acted");
    }
    List<JobSubscription> subscriptions = resolved.stream().map(JobSubscriptions.Resolved::subscription).toList();
    return new WorkerPlan(subscriptions, shortest.subscription().timeout(), shortest.timeoutProperty(),
        appsByTenant(properties, subscriptions));
  }

  /** The settings of one app, which share the base URL, timeouts and quota settings. */
  FeishuSettings feishuSettings(FeishuProperties p, FeishuProperties.App app) {
    try {
      BaseUrls.requireSafe(p.baseUrl());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("FEISHU_BASE_URL (feishu.base-url) is not usable: " + e.getMessage());
    }
    Duration worstCase = p.http().callTimeout().multipliedBy(4);
    if (worstCase.compareTo(shortestJobTimeout) >= 0) {
      throw new InvalidConfigurationException(timeoutProperty + " (" + shortestJobTimeout + ") must be longer than "
          + "four feishu.http.call-timeout (" + p.http().callTimeout() + "): a job may fetch a token and call Feishu "
          + "twice before it is answered");
    }
    // a job may wait for a quota slot only as long as its timeout still covers the calls that follow
    Duration maxQuotaWait = shortestJobTimeout.minus(worstCase).minus(QUOTA_WAIT_MARGIN);
    return new FeishuSettings(p.baseUrl(), app.appId().trim(), app.appSecret().trim(), p.http().connectTimeout(),
        p.http().readTimeout(), p.http().callTimeout(), p.worker().maxInFlight(), p.http().rateLimitDefaultWait(),
        p.rateLimit().calls(), p.rateLimit().window(), maxQuotaWait.isNegative() ? Duration.ZERO : maxQuotaWait,
        p.store().retryWait(), app.type() == FeishuProperties.AppType.STORE, p.ticketWait());
  }

  private static Map<String, List<String>> appsByTenant(FeishuProperties properties,
      List<JobSubscription> subscriptions) {
    requireCredentials(properties);
    Set<String> served = new LinkedHashSet<>();
    subscriptions.forEach(s -> served.addAll(s.tenantIds()));
    Map<String, List<String>> declared = new LinkedHashMap<>();
    declared.put(FeishuApps.DEFAULT, properties.camundaTenants());
    properties.apps().forEach((name, app) -> declared.put(name, app.camundaTenants()));
    Map<String, List<String>> appsByTenant = new LinkedHashMap<>();
    declared.forEach((app, tenants) -> {
      String property = app.equals(FeishuApps.DEFAULT) ? "feishu.camunda-tenants" : "feishu.apps." + app
          + ".camunda-tenants";
      for (String tenant : tenants) {
        if (!served.contains(tenant)) {
          throw new InvalidConfigurationException(property + " names the Camunda tenant " + tenant + ", but the "
              + "workers take jobs of the tenants " + served + " only: add it to camunda.client.worker.defaults."
              + "tenant-ids (or camunda.client.tenant-id)");
        }
        List<String> apps = appsByTenant.computeIfAbsent(tenant, t -> new ArrayList<>());
        if (!apps.contains(app)) apps.add(app);
      }
    });
    appsByTenant.replaceAll((tenant, apps) -> List.copyOf(apps));
    return appsByTenant;
  }

  private static void requireCredentials(FeishuProperties p) {
    if (isBlank(p.appId()) || isBlank(p.appSecret())) {
      throw new InvalidConfigurationException("Feishu app credentials are missing: set FEISHU_APP_ID and "
          + "FEISHU_APP_SECRET (feishu.app-id, feishu.app-secret) to the app's id and secret");
    }
    requireEventKeys("the default app", p.defaultApp(), "FEISHU_VERIFICATION_TOKEN (feishu.verification-token)",
        "FEISHU_ENCRYPT_KEY (feishu.encrypt-key)");
    requireWebhookForStore("the default app", p.defaultApp(), "FEISHU_EVENTS_DELIVERY (feishu.events-delivery)");
    p.apps().forEach((name, app) -> {
      requireWebhookForStore("the app '" + name + "'", app, "feishu.apps." + name + ".events-delivery");
      requireEventKeys("the app '" + name + "'", app, "feishu.apps." + name + ".verification-token",
          "feishu.apps." + name + ".encrypt-key");
      if (name.equals(FeishuApps.DEFAULT)) {
        throw new InvalidConfigurationException("feishu.apps.default is reserved for FEISHU_APP_ID and "
            + "FEISHU_APP_SECRET (feishu.app-id, feishu.app-secret): give the extra app another name");
      }
      if (isBlank(app.appId()) || isBlank(app.appSecret())) {
        throw new InvalidConfigurationException("feishu.apps." + name + " needs both app-id and app-secret");
      }
    });
  }

  /**
   * A store app's ticket arrives by event push, which the worker checks with the subscription's keys. Without an
   * Encrypt Key Feishu signs nothing and sends the Verification Token in every body: a push copied once could replace
   * the ticket.
   */
  private static void requireEventKeys(String which, FeishuProperties.App app, String tokenProperty,
      String keyProperty) {
    if (app.type() != FeishuProperties.AppType.STORE) return;
    if (isBlank(app.verificationToken())) {
      throw new InvalidConfigurationException(which + " is a store app and needs its event subscription's "
          + "Verification Token to check Feishu's app_ticket pushes: set " + tokenProperty + " (and " + keyProperty
          + " beside it)");
    }
    if (isBlank(app.encryptKey())) {
      throw new InvalidConfigurationException(which + " is a store app and needs its event subscription's Encrypt "
          + "Key: without one Feishu neither signs nor encrypts its app_ticket pushes, so a copied or forged push "
          + "could replace the ticket. Set an Encrypt Key under events and callbacks (事件与回调) in the Feishu "
          + "developer console, and the same value in " + keyProperty);
    }
  }

  /** Feishu opens long connections to self-built apps only; a store app's events, its tickets among them, are pushed. */
  private static void requireWebhookForStore(String which, FeishuProperties.App app, String deliveryProperty) {
    if (app.type() == FeishuProperties.AppType.STORE
        && app.eventsDelivery() == FeishuProperties.EventsDelivery.LONG_CONNECTION) {
      throw new InvalidConfigurationException(which + " is a store app, and Feishu delivers a store app's events by "
          + "webhook only: set " + deliveryProperty + " to webhook (or leave it out)");
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
