package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** What a platform team sees: metrics, health, log context, and several Feishu apps. */
class OperationsProcessTest extends ProcessTestSupport {

  @LocalManagementPort int port;

  /** An app of a tenant this engine has no jobs of: tasks here must not act as it. */
  @DynamicPropertySource
  static void anotherTenantsApp(DynamicPropertyRegistry registry) {
    registry.add("feishu.apps.third.app-id", () -> "cli_third_app_000001");
    registry.add("feishu.apps.third.app-secret", () -> "third-app-secret-2b7e");
  }

  @Test
  void prometheusEndpointCountsCallsTokenFetchesAndJobsByOutcome() throws Exception {
    String before = scrape();
    long ok = start("feishu-approval-reject-example", Map.of("approvalTaskId", "1785996265160001", "userId", "7"));
    FEISHU.script("1785996265160002", Fault.paramInvalid());
    long bpmnError = start("feishu-approval-reject-example", Map.of("approvalTaskId", "1785996265160002", "userId", "7"));
    FEISHU.script("1785996265160003", Fault.code(400, 99991672, "scope [app_engine:approval:write] required"));
    long incident = start("feishu-approval-reject-example", Map.of("approvalTaskId", "1785996265160003", "userId", "7"));
    PROBE.awaitEnding(ok);
    PROBE.awaitEnding(bpmnError);
    PROBE.awaitEnding(incident);
    String after = PROBE.await(() -> {
      String scraped = scrape();
      return delta(before, scraped, "feishu_jobs_total", "outcome=\"incident\",type=\"feishu-approval-reject\"") >= 1
          ? java.util.Optional.of(scraped) : java.util.Optional.empty();
    }, "the incident to be counted");

    assertThat(delta(before, after, "feishu_jobs_total", "outcome=\"completed\",type=\"feishu-approval-reject\"")).isEqualTo(1);
    assertThat(delta(before, after, "feishu_jobs_total", "outcome=\"bpmn_error\",type=\"feishu-approval-reject\"")).isEqualTo(1);
    assertThat(delta(before, after, "feishu_jobs_total", "outcome=\"incident\",type=\"feishu-approval-reject\"")).isEqualTo(1);
    assertThat(delta(before, after, "feishu_calls_seconds_count",
        "app=\"default\",code=\"0\",operation=\"reject\",outcome=\"success\"")).isEqualTo(1);
    assertThat(delta(before, after, "feishu_calls_seconds_count",
        "app=\"default\",code=\"2320001\",operation=\"reject\",outcome=\"business_error\"")).isEqualTo(1);
    assertThat(delta(before, after, "feishu_calls_seconds_count",
        "app=\"default\",code=\"99991672\",operation=\"reject\",outcome=\"configuration_error\"")).isEqualTo(1);
    assertThat(after).contains("feishu_token_fetches_total{app=\"default\",result=\"issued\"}");
    assertThat(after).contains("feishu_calls_seconds_bucket{app=\"default\",code=\"0\",operation=\"reject\",outcome=\"success\",le=");
  }

  @Autowired HealthEndpoint health;

  @Test
  void readinessReportsTheFeishuTokenAndTheEngineConnection() throws Exception {
    long instance = start("feishu-approval-reject-example", Map.of("approvalTaskId", "1785996265160010", "userId", "7"));
    PROBE.awaitEnding(instance);

    HttpResponse<String> readiness = get("/actuator/health/readiness");
    HttpResponse<String> liveness = get("/actuator/health/liveness");

    assertThat(readiness.statusCode()).isEqualTo(200);
    // an anonymous caller sees the status only; the details are there for the application itself
    assertThat(readiness.body()).contains("UP").doesNotContain("\"feishu\"", FeishuSimulator.APP_ID);
    CompositeHealth group = (CompositeHealth) health.healthForPath("readiness");
    assertThat(group.getComponents()).containsKeys("feishu", "camundaClient", "feishuStore");
    assertThat(group.getComponents().get("feishu").toString()).contains("cached until", FeishuSimulator.APP_ID);
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(readiness.body() + liveness.body()).doesNotContain(FeishuSimulator.APP_SECRET).doesNotContain("t-sim");
  }

  @Test
  void everyLogLineAboutAJobCarriesItsKeysTheTaskIdAndFeishusLogId() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.github.feishuapproval.worker.FeishuJobHandler");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      long instance = start("feishu-approval-reject-example", Map.of("approvalTaskId", "1785996265160020", "userId", "7"));
      PROBE.awaitEnding(instance);
      ILoggingEvent line = PROBE.await(() -> captured.list.stream()
          .filter(e -> "1785996265160020".equals(e.getMDCPropertyMap().get("approvalTaskId"))).findFirst(),
          "a log line about the job");

      assertThat(line.getMDCPropertyMap()).containsKeys("jobKey", "jobType", "elementId", "feishuLogId")
          .containsEntry("processInstanceKey", Long.toString(instance))
          .containsEntry("elementId", "RejectApprovalTask");
      assertThat(line.getMDCPropertyMap().get("feishuLogId")).endsWith("SIM");
    } finally {
      logger.detachAppender(captured);
    }
  }

  @Test
  void taskHeaderChoosesANamedAppWithItsOwnToken() {
    long instance = runWithApp("second", "1785996265160030");

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    String authorization = FEISHU.callsFor("1785996265160030").getFirst().authorization();
    assertThat(FEISHU.appIdOf(authorization)).isEqualTo(FeishuSimulator.SECOND_APP_ID);
  }

  @Test
  void anAppThatDoesNotServeTheJobsTenantIsRefusedLikeAnUnknownOneNamingNoOtherApp() {
    long foreign = runWithApp("third", "1785996265160031");
    long unknown = runWithApp("marketing", "1785996265160032");

    String refused = PROBE.awaitEnding(foreign).incident().orElseThrow();
    assertThat(refused).contains("feishuApp names the app 'third', which the Camunda tenant '<default>' may not use",
        "Nothing was sent to Feishu");
    assertThat(PROBE.awaitEnding(unknown).incident().orElseThrow())
        .contains("feishuApp names the app 'marketing', which the Camunda tenant '<default>' may not use")
        .doesNotContain("third").doesNotContain("configured");
    assertThat(FEISHU.callsFor("1785996265160031")).isEmpty();
    assertThat(FEISHU.callsFor("1785996265160032")).isEmpty();
  }

  private long runWithApp(String app, String taskId) {
    String processId = "app-" + app;
    camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Call", t -> t.zeebeJobType("feishu-approval-reject").zeebeTaskHeader("feishuApp", app))
        .endEvent("Done")
        .done(), processId + ".bpmn").send().join();
    return start(processId, Map.of("approvalTaskId", taskId, "userId", "7"));
  }

  private String scrape() {
    try {
      return get("/actuator/prometheus").body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static double delta(String before, String after, String metric, String labels) {
    return value(after, metric, labels) - value(before, metric, labels);
  }

  private static double value(String scraped, String metric, String labels) {
    Matcher m = Pattern.compile("^" + Pattern.quote(metric + "{" + labels) + "[^}]*} (\\S+)$", Pattern.MULTILINE)
        .matcher(scraped);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
