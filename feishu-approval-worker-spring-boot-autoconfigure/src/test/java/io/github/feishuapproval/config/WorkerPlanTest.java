package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.client.spring.properties.CamundaClientJobWorkerProperties;
import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.JobSubscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPlanTest {

  @Test
  void missingCredentialsFailStartupNamingBothEnvironmentVariables() {
    assertThatThrownBy(() -> plan(properties(null, "secret", "https://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("FEISHU_APP_ID").hasMessageContaining("FEISHU_APP_SECRET");
    assertThatThrownBy(() -> plan(properties("cli_x", " ", "https://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void plainHttpBaseUrlIsRefusedUnlessItIsThisMachine() {
    assertThatThrownBy(() -> settings(properties("cli_x", "s", "http://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("FEISHU_BASE_URL");
    assertThat(settings(properties("cli_x", "s", "http://127.0.0.1:8080", "60s")).baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:8080"));
  }

  @Test
  void jobTimeoutMustOutlastEveryHttpCallOfAJob() {
    assertThatThrownBy(() -> settings(properties("cli_x", "s", "https://open.feishu.cn", "40s")))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("feishu.worker.job-timeout");
  }

  @Test
  void quotaWaitIsWhatTheJobTimeoutLeavesAfterTheWorstCaseCalls() {
    var settings = settings(properties("cli_x", "s", "https://open.feishu.cn", "60s"));

    assertThat(settings.maxQuotaWait()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.toString()).doesNotContain("\"s\"").contains("<redacted>");
  }

  @Test
  void shutdownGraceShorterThanTheJobTimeoutIsRefused() {
    FeishuProperties p = properties("cli_x", "s", "https://open.feishu.cn", "60s");
    FeishuProperties shortGrace = new FeishuProperties(true, false, p.appId(), p.appSecret(), p.appType(), null, null,
        p.ticketWait(), p.apps(), p.camundaTenants(),
        p.unmappedTenants(), p.baseUrl(), p.http(), new FeishuProperties.Worker("w", Duration.ofSeconds(60), 128, 256,
            Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30)), p.rateLimit(), p.store(), null,
        p.callbackSignature(), p.callbacks(), List.of(), FeishuProperties.EventsDelivery.WEBHOOK);

    assertThatThrownBy(() -> plan(shortGrace))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("feishu.worker.shutdown-grace");
  }

  @Test
  void withoutCamundaWorkerSettingsEveryJobTypeRunsOnTheFeishuWorkerSettingsInTheDefaultTenant() {
    WorkerPlan plan = plan(properties("cli_x", "s", "https://open.feishu.cn", "60s"));

    assertThat(plan.subscriptions()).hasSize(JobOperations.ALL.size()).allSatisfy(s -> {
      assertThat(s.workerName()).isEqualTo("w");
      assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(s.maxJobsActive()).isEqualTo(128);
      assertThat(s.tenantIds()).containsExactly("<default>");
      assertThat(s.fetchVariables()).isEqualTo(s.operation().variableNames());
      assertThat(s.requestTimeout()).isEmpty();
    });
  }

  @Test
  void theClientsTenantIsTheWorkersTenantAsForJobWorkerMethods() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.setTenantId("acme");

    assertThat(plan(camunda).subscriptions()).allSatisfy(s -> assertThat(s.tenantIds()).containsExactly("acme"));
  }

  @Test
  void workerDefaultTenantsWinOverTheClientsTenantAndAnOverrideReplacesThemForItsType() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.setTenantId("acme");
    camunda.getWorker().getDefaults().setTenantIds(List.of("hr-cn", "hr-jp"));
    override(camunda, "feishu-approval-agree").setTenantIds(List.of("finance"));

    assertThat(subscription(plan(camunda), "feishu-approval-reject").tenantIds()).containsExactly("hr-cn", "hr-jp");
    assertThat(subscription(plan(camunda), "feishu-approval-agree").tenantIds()).containsExactly("finance");
  }

  @Test
  void camundaWorkerDefaultsAndOverridesApplyOnTopOfTheFeishuWorkerSettings() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.getWorker().getDefaults().setTimeout(Duration.ofMinutes(2));
    camunda.getWorker().getDefaults().setRequestTimeout(Duration.ofSeconds(30));
    override(camunda, "feishu-approval-agree").setMaxJobsActive(8);
    override(camunda, "feishu-user-task-query").setEnabled(false);
    FeishuProperties feishu = properties("cli_x", "s", "https://open.feishu.cn", "60s", Duration.ofMinutes(3));

    WorkerPlan plan = WorkerPlan.of(feishu, camunda, JobOperations.ALL);

    assertThat(subscription(plan, "feishu-approval-reject").timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(subscription(plan, "feishu-approval-reject").requestTimeout()).contains(Duration.ofSeconds(30));
    assertThat(subscription(plan, "feishu-approval-agree").maxJobsActive()).isEqualTo(8);
    assertThat(subscription(plan, "feishu-approval-reject").maxJobsActive()).isEqualTo(128);
    assertThat(plan.subscriptions()).extracting(s -> s.operation().jobType()).doesNotContain("feishu-user-task-query");
  }

  @Test
  void aCamundaJobTimeoutTooShortForTheHttpCallsIsRefusedNamingTheCamundaProperty() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    override(camunda, "feishu-approval-reject").setTimeout(Duration.ofSeconds(20));

    FeishuProperties p = properties("cli_x", "s", "https://open.feishu.cn", "60s");
    assertThatThrownBy(() -> plan(camunda).feishuSettings(p, p.defaultApp())).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("camunda.client.worker.override.feishu-approval-reject.timeout");
  }

  @Test
  void streamingIsRefusedBecauseItWouldBypassTheBoundTheQuotaReliesOn() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.getWorker().getDefaults().setStreamEnabled(true);

    assertThatThrownBy(() -> plan(camunda)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("camunda.client.worker.defaults.stream-enabled=true")
        .hasMessageContaining("stream-enabled=false");
    for (var operation : JobOperations.ALL) override(camunda, operation.jobType()).setStreamEnabled(false);
    assertThat(plan(camunda).subscriptions()).hasSize(JobOperations.ALL.size());
  }

  @Test
  void overridesThatWouldBreakTheTemplatesContractAreRefused() {
    CamundaClientProperties renamed = new CamundaClientProperties();
    override(renamed, "feishu-approval-reject").setType("reject");
    assertThatThrownBy(() -> plan(renamed)).hasMessageContaining("override.feishu-approval-reject.type");

    CamundaClientProperties fetched = new CamundaClientProperties();
    override(fetched, "feishu-approval-reject").setFetchVariables(List.of("x"));
    assertThatThrownBy(() -> plan(fetched)).hasMessageContaining("fetch-variables");
  }

  @Test
  void aTenantMayBeListedBySeveralAppsButOnlyATenantTheWorkersServe() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.getWorker().getDefaults().setTenantIds(List.of("hr-cn", "acme"));
    FeishuProperties p = properties("cli_x", "s", "https://open.feishu.cn", "60s");

    assertThat(WorkerPlan.of(withApps(p, List.of("acme"), Map.of("hr", List.of("hr-cn"))), camunda, JobOperations.ALL)
        .appsByTenant()).containsExactlyInAnyOrderEntriesOf(Map.of("acme", List.of("default"), "hr-cn", List.of("hr")));
    assertThat(WorkerPlan.of(withApps(p, List.of("hr-cn"), Map.of("hr", List.of("hr-cn"))), camunda,
        JobOperations.ALL).appsByTenant()).containsExactly(Map.entry("hr-cn", List.of("default", "hr")));
    assertThatThrownBy(() -> WorkerPlan.of(withApps(p, List.of(), Map.of("hr", List.of("hr-jp"))), camunda,
        JobOperations.ALL)).hasMessageContaining("feishu.apps.hr.camunda-tenants names the Camunda tenant hr-jp")
        .hasMessageContaining("camunda.client.worker.defaults.tenant-ids");
  }

  @Test
  void aRestPoolThatLongPollsWouldFillIsRefusedAndGrpcIsNotConcerned() {
    CamundaClientProperties camunda = new CamundaClientProperties();
    camunda.setPreferRestOverGrpc(true);
    camunda.setMaxHttpConnections(6);

    assertThatThrownBy(() -> CamundaTransport.check(camunda, 6, 256)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("camunda.client.max-http-connections (6)").hasMessageContaining("262");
    camunda.setMaxHttpConnections(7);
    CamundaTransport.check(camunda, 6, 256);
    camunda.setPreferRestOverGrpc(false);
    camunda.setMaxHttpConnections(1);
    CamundaTransport.check(camunda, 6, 256);
  }

  @Test
  void propertiesNeverPrintTheSecret() {
    assertThat(properties("cli_x", "very-secret-value", "https://open.feishu.cn", "60s").toString())
        .doesNotContain("very-secret-value");
  }

  private static JobSubscription subscription(WorkerPlan plan, String jobType) {
    return plan.subscriptions().stream().filter(s -> s.operation().jobType().equals(jobType)).findFirst().orElseThrow();
  }

  private static CamundaClientJobWorkerProperties override(CamundaClientProperties camunda, String jobType) {
    return camunda.getWorker().getOverride().computeIfAbsent(jobType, t -> new CamundaClientJobWorkerProperties());
  }

  private static WorkerPlan plan(FeishuProperties p) {
    return WorkerPlan.of(p, new CamundaClientProperties(), JobOperations.ALL);
  }

  private static WorkerPlan plan(CamundaClientProperties camunda) {
    return WorkerPlan.of(properties("cli_x", "s", "https://open.feishu.cn", "60s"), camunda, JobOperations.ALL);
  }

  private static io.github.feishuapproval.feishu.FeishuSettings settings(FeishuProperties p) {
    return plan(p).feishuSettings(p, p.defaultApp());
  }

  private static FeishuProperties withApps(FeishuProperties p, List<String> defaultTenants,
      Map<String, List<String>> apps) {
    Map<String, FeishuProperties.App> named = new java.util.LinkedHashMap<>();
    apps.forEach((name, tenants) -> named.put(name, new FeishuProperties.App("cli_" + name, "s",
        FeishuProperties.AppType.SELF_BUILT, null, null, tenants, null, FeishuProperties.CallbackSignature.ACCEPTED, List.of(),
        FeishuProperties.EventsDelivery.WEBHOOK)));
    return new FeishuProperties(true, false, p.appId(), p.appSecret(), p.appType(), null, null, p.ticketWait(), named,
        defaultTenants, p.unmappedTenants(), p.baseUrl(),
        p.http(), p.worker(), p.rateLimit(), p.store(), null, p.callbackSignature(), p.callbacks(), List.of(),
        FeishuProperties.EventsDelivery.WEBHOOK);
  }

  private static FeishuProperties properties(String appId, String secret, String baseUrl, String jobTimeout) {
    return properties(appId, secret, baseUrl, jobTimeout, Duration.ofSeconds(60));
  }

  private static FeishuProperties properties(String appId, String secret, String baseUrl, String jobTimeout,
      Duration grace) {
    return new FeishuProperties(true, false, appId, secret, FeishuProperties.AppType.SELF_BUILT, null, null, Duration.ofMinutes(10),
        Map.of(), List.of(), FeishuProperties.UnmappedTenants.DEFAULT_APP,
        URI.create(baseUrl),
        new FeishuProperties.Http(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)),
        new FeishuProperties.Worker("w", Duration.parse("PT" + jobTimeout.toUpperCase()), 128, 256, Duration.ofSeconds(5),
            Duration.ofMinutes(5), grace),
        new FeishuProperties.RateLimit(100, Duration.ofMinutes(1)),
        new FeishuProperties.Store(FeishuProperties.StoreType.MEMORY, "p", Duration.ofSeconds(2), Duration.ofSeconds(5)),
        null, FeishuProperties.CallbackSignature.ACCEPTED, new FeishuProperties.Callbacks(Duration.ofHours(1),
            Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofSeconds(10)), List.of(),
        FeishuProperties.EventsDelivery.WEBHOOK);
  }
}
