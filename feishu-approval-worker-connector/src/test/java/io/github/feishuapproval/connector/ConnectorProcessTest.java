package io.github.feishuapproval.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.ProcessWaits;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Camunda's Connector Runtime (its Spring Boot starter, as in the bundle image) runs the connector in this JVM against
 * Zeebe Process Test's embedded engine and the Feishu simulator; the process is built from the connector's element
 * template, so that the template's hidden headers and error expression are what is tested.
 */
@SpringBootTest(classes = ConnectorRuntimeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectorProcessTest {

  private static final String PROCESS = "feishu-connector-reject";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong TASKS = new AtomicLong(1785996265149000L);
  private static final ZeebeTestEngine ENGINE = EngineFactory.create(freePort());
  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  private static final ProcessWaits WAITS;

  static {
    ENGINE.start();
    WAITS = ProcessWaits.on(ENGINE).within(Duration.ofSeconds(30));
    // the connector reads the runtime's environment; system properties of the same names stand in for it here
    System.setProperty(ConnectorSettings.BASE_URL, FEISHU.baseUrl().toString());
  }

  @Autowired CamundaClient camunda;

  @DynamicPropertySource
  static void runtimeOnTheEmbeddedEngine(DynamicPropertyRegistry registry) {
    String address = ENGINE.getGatewayAddress();
    registry.add("camunda.client.grpc-address",
        () -> "http://127.0.0.1:" + address.substring(address.lastIndexOf(':') + 1));
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("camunda.client.auth.method", () -> "none");
    // outbound only: no process definitions to import for inbound connectors, no webhooks
    registry.add("camunda.connector.polling.enabled", () -> "false");
    registry.add("camunda.connector.webhook.enabled", () -> "false");
    registry.add("camunda.connector.secretprovider.console.enabled", () -> "false");
    registry.add("camunda.connector.secretprovider.environment.prefix", () -> "RUNTIME_SECRET_");
    registry.add("RUNTIME_SECRET_FEISHU_APP_ID", () -> FeishuSimulator.APP_ID);
    registry.add("RUNTIME_SECRET_FEISHU_APP_SECRET", () -> FeishuSimulator.APP_SECRET);
  }

  @BeforeEach
  void deployTheProcess() {
    FEISHU.reset();
    ConnectorTemplate template = ConnectorTemplate.of("feishu-approval-reject");
    BpmnModelInstance process = Bpmn.createExecutableProcess(PROCESS).startEvent()
        .serviceTask("reject", task -> template.applyTo(task, Map.of(
            "approvalTaskId", "=approvalTaskId",
            "userId", "=userId",
            "opinion", "=opinion",
            "resultVariable", "rejectResult")))
        .boundaryEvent("invalidParameter", event -> event.error("2320001")).endEvent("InvalidParameterHandled")
        .moveToActivity("reject").endEvent("TaskRejected")
        .done();
    camunda.newDeployResourceCommand().addProcessModel(process, PROCESS + ".bpmn").send().join();
  }

  @Test
  void rejectCompletesWithTheResultUnderTheResultVariable() throws Exception {
    String task = newTaskId();
    long instance = start(task);

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("TaskRejected");
    var result = JSON.readTree(variable(instance, "rejectResult").orElseThrow());
    assertThat(result.path("code").asInt(-1)).isZero();
    assertThat(result.path("logId").asText()).endsWith("SIM");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/" + task + "/reject");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"拒绝\"}");
  }

  @Test
  void theAppSecretComesFromTheRuntimesSecretsAndNeverReachesTheEngine() {
    String task = newTaskId();
    long instance = start(task);

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("TaskRejected");
    // the simulator hands a token only for the right secret, and the task was carried out with one
    assertThat(FEISHU.callsFor(task).getFirst().authorization()).startsWith("Bearer t-");
    assertThat(allRecordsAsJson()).noneMatch(record -> record.contains(FeishuSimulator.APP_SECRET))
        .anyMatch(record -> record.contains("{{secrets.FEISHU_APP_SECRET}}"));
  }

  @Test
  void feishuBusinessErrorIsCaughtByTheBoundaryEventForItsCode() {
    String task = newTaskId();
    FEISHU.script(task, Fault.paramInvalid());
    long instance = start(task);

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("InvalidParameterHandled");
    assertThat(variable(instance, "feishuErrorCode")).contains("2320001");
    assertThat(variable(instance, "feishuErrorMsg")).contains("\"param is invalid\"");
  }

  @Test
  void transientFailureSpendsARetryWaitsTheBackoffAndThenSucceeds() {
    String task = newTaskId();
    FEISHU.script(task, Fault.badGateway());
    long instance = start(task);

    JobRecordValue failure = awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(2);
    assertThat(failure.getRetryBackoff()).isEqualTo(Duration.ofSeconds(5).toMillis());
    assertThat(failure.getErrorMessage()).contains("HTTP 502", "log id");
    ENGINE.increaseTime(Duration.ofSeconds(6));

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("TaskRejected");
    assertThat(FEISHU.callsFor(task)).hasSize(2);
  }

  @Test
  void rateLimitIsWaitedOutWithoutSpendingARetry() {
    String task = newTaskId();
    // a short reset: the client also holds its own calls back until then, by the wall clock
    FEISHU.script(task, Fault.rateLimited(2));
    long instance = start(task);

    JobRecordValue failure = awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(3);
    assertThat(failure.getRetryBackoff()).isEqualTo(Duration.ofSeconds(2).toMillis());
    assertThat(failure.getErrorMessage()).contains("rate limit", "without spending a retry");
    ENGINE.increaseTime(Duration.ofSeconds(3));

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("TaskRejected");
    assertThat(FEISHU.callsFor(task)).hasSize(2);
  }

  @Test
  void badInputRaisesAnIncidentNamingTheVariableWithoutCallingFeishu() {
    String task = "not/a/task";
    long instance = start(task);

    var ending = WAITS.untilEnded(instance);
    assertThat(ending.incident().orElseThrow()).contains("approvalTaskId may contain only", "Nothing was sent to Feishu");
    assertThat(FEISHU.calls()).isEmpty();
  }

  @Test
  void aQueryCompletesWithTheListUnderItsTemplatesResultVariable() throws Exception {
    ConnectorTemplate template = ConnectorTemplate.of("feishu-user-task-query");
    BpmnModelInstance process = Bpmn.createExecutableProcess("feishu-connector-query").startEvent()
        .serviceTask("query", task -> template.applyTo(task, Map.of("kunlunUserId", "=kunlunUserId")))
        .endEvent("Queried")
        .done();
    camunda.newDeployResourceCommand().addProcessModel(process, "feishu-connector-query.bpmn").send().join();
    FEISHU.userTasks("1783981209205788", List.of(JSON.readTree("{\"task_id\":\"1785996265149999\"}")));

    long instance = camunda.newCreateInstanceCommand().bpmnProcessId("feishu-connector-query").latestVersion()
        .variables(Map.of("kunlunUserId", "1783981209205788")).send().join().getProcessInstanceKey();

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("Queried");
    assertThat(JSON.readTree(variable(instance, template.value("resultVariable")).orElseThrow()).get(0)
        .path("task_id").asText()).isEqualTo("1785996265149999");
  }

  private long start(String task) {
    return camunda.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion()
        .variables(Map.of("approvalTaskId", task, "userId", "1783981209205788", "opinion", "拒绝"))
        .send().join().getProcessInstanceKey();
  }

  private static String newTaskId() {
    return Long.toString(TASKS.incrementAndGet());
  }

  private List<JobRecordValue> awaitJobFailures(long instance, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        List<JobRecordValue> failures = records(RecordStream.of(ENGINE.getRecordStreamSource()).jobRecords())
            .stream()
            .filter(r -> r.getIntent() == JobIntent.FAILED && r.getValue().getProcessInstanceKey() == instance)
            .map(Record::getValue)
            .toList();
        if (failures.size() >= count) return failures;
      } catch (RuntimeException halfWritten) {
        // the embedded engine's log, read while it appends, can fail a read; the next one sees the record whole
      }
      pause();
    }
    throw new AssertionError("no " + count + " job failures in " + instance + " within 30 s");
  }

  private Optional<String> variable(long instance, String name) {
    return records(RecordStream.of(ENGINE.getRecordStreamSource()).variableRecords()).stream()
        .filter(r -> r.getValue().getProcessInstanceKey() == instance && r.getValue().getName().equals(name))
        .map(r -> r.getValue().getValue())
        .reduce((a, b) -> b);
  }

  private List<String> allRecordsAsJson() {
    return records(RecordStream.of(ENGINE.getRecordStreamSource()).records()).stream().map(Record::toJson).toList();
  }

  private static <T> List<T> records(Iterable<T> records) {
    List<T> copy = new ArrayList<>();
    records.forEach(copy::add);
    return copy;
  }

  private static void pause() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the embedded engine", e);
    }
  }
}
