package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.feishuapproval.sandbox.MessageRecords;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Feishu Approval's events reach the process: the worker subscribes its definition at start, the simulated Feishu
 * pushes each change of the instance, and a process that created the instance waits in an event-based gateway for
 * the instance's event, keyed by the creation uuid, beside a timer. Repeats publish nothing more; forged and
 * replayed pushes publish nothing.
 */
class ApprovalEventProcessTest extends ProcessTestSupport {

  static final String TOKEN = "verification-token-approval-events-3b8d";
  static final String KEY = "encrypt-key-approval-events-71ce";
  static final String APPROVAL = "7C468A54-EVENTS-2245-9675-08B7C63E7A85";
  static final String APPROVER = "approver1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong PROCESSES = new AtomicLong();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void approvalEvents(DynamicPropertyRegistry registry) {
    approvalEvents(registry, TOKEN, KEY, APPROVAL);
  }

  @BeforeEach
  void pointFeishuAtTheWorker() {
    pushApprovalEvents(port, TOKEN, KEY, APPROVAL, APPROVER);
  }

  /**
   * Create the instance, then wait for its instance event beside a timer; an event that is still PENDING (the one
   * pushed on creation) goes back to waiting.
   */
  static BpmnModelInstance createThenWaitForTheOutcome(String processId) {
    return Bpmn.createExecutableProcess(processId).startEvent()
        .serviceTask("Create", t -> t.zeebeJobType("feishu-approval-v4-instance-create"))
        .eventBasedGateway("Waiting")
        .intermediateCatchEvent("InstanceChanged")
        .message(m -> m.name(ApprovalEventMessages.INSTANCE_MESSAGE)
            .zeebeCorrelationKeyExpression("approvalInstance.uuid"))
        .exclusiveGateway("Decided").defaultFlow().endEvent("Finished")
        .moveToNode("Decided").conditionExpression("status = \"PENDING\"").connectTo("Waiting")
        .moveToNode("Waiting").intermediateCatchEvent("TooLong").timerWithDuration("PT1H").endEvent("TimedOut")
        .done();
  }

  @Test
  void aProcessThatCreatedAnInstanceGoesOnWhenFeishuPushesItsApproval() throws Exception {
    long instance = startWaiting();
    String code = awaitCreated(instance);

    approve(code);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Finished");
    assertThat(PROBE.variable(instance, "status")).contains("\"APPROVED\"");
    assertThat(PROBE.variable(instance, "instanceCode")).contains("\"" + code + "\"");
    assertThat(PROBE.variable(instance, "eventType")).contains("\"approval_instance\"");
    assertThat(FEISHU.approvalEvents().awaitSettled(Duration.ofSeconds(10))).isTrue();
    assertThat(FEISHU.approvalEvents().deliveries()).allSatisfy(d -> assertThat(d.answers()).containsExactly(200));
  }

  @Test
  void feishusRepeatOfAnEventIsAnswered200AndPublishedOnce() throws Exception {
    long instance = startWaiting();
    approve(awaitCreated(instance));
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Finished");
    assertThat(FEISHU.approvalEvents().awaitSettled(Duration.ofSeconds(10))).isTrue();
    SimulatedApprovalEvents.Delivery approved = FEISHU.approvalEvents().deliveries().stream()
        .filter(d -> d.eventType().equals("approval_instance") && d.status().equals("APPROVED")).findFirst()
        .orElseThrow();

    FEISHU.approvalEvents().pushAgain(approved.eventId());
    FEISHU.approvalEvents().pushAgain(approved.eventId());
    assertThat(FEISHU.approvalEvents().awaitSettled(Duration.ofSeconds(10))).isTrue();

    assertThat(FEISHU.approvalEvents().delivery(approved.eventId()).answers()).containsExactly(200, 200, 200);
    assertThat(MessageRecords.publishCommands(ENGINE, approved.eventId())).hasSize(1);
  }

  @Test
  void aForgedPushIsRefusedAndAReplayedOneIsRefusedAndNeitherPublishes() throws Exception {
    String json = FeishuEventPushes.approvalEventV1("approval_instance", FeishuSimulator.APP_ID, TOKEN,
        "forged-" + PROCESSES.incrementAndGet(), Map.of("approval_code", APPROVAL, "instance_code", "IC-F",
            "status", "APPROVED", "uuid", "u-forged"), Instant.now());
    FeishuEventPushes.Push forged = FeishuEventPushes.push(json, Optional.of("not-the-encrypt-key"), Instant.now());
    String replayId = "replayed-" + PROCESSES.incrementAndGet();
    FeishuEventPushes.Push genuine = FeishuEventPushes.push(FeishuEventPushes.approvalEventV1("approval_instance",
        FeishuSimulator.APP_ID, TOKEN, replayId, Map.of("approval_code", APPROVAL, "instance_code", "IC-R",
            "status", "APPROVED", "uuid", "u-replayed"), Instant.now()), Optional.of(KEY), Instant.now());

    assertThat(FeishuEventPushes.post(eventUrl(), forged).statusCode()).isEqualTo(401);
    assertThat(FeishuEventPushes.post(eventUrl(), genuine).statusCode()).isEqualTo(200);
    assertThat(FeishuEventPushes.post(eventUrl(), genuine).statusCode()).isEqualTo(409);

    assertThat(MessageRecords.publishCommands(ENGINE, "forged-" + (PROCESSES.get() - 1))).isEmpty();
    assertThat(MessageRecords.publishCommands(ENGINE, replayId)).hasSize(1);
  }

  private long startWaiting() {
    String processId = "approval-events-" + PROCESSES.incrementAndGet();
    camunda.newDeployResourceCommand().addProcessModel(createThenWaitForTheOutcome(processId), processId + ".bpmn")
        .send().join();
    return start(processId, Map.of("approvalCode", APPROVAL, "userId", "initiator1", "form",
        List.of(Map.of("id", "111", "type", "input", "value", "出差 3 天"))));
  }

  private String awaitCreated(long instance) throws Exception {
    PROBE.awaitElementActivated(instance, "Waiting");
    JsonNode created = JSON.readTree(PROBE.variable(instance, "approvalInstance").orElseThrow());
    return created.path("instanceCode").asText();
  }

  /** The approver approves in Feishu, as a person in the Feishu app would. */
  private static void approve(String instanceCode) throws Exception {
    String task = FEISHU.approvalV4().instance(instanceCode).orElseThrow().tasks().getFirst().id();
    String token = post(FeishuSimulator.TOKEN_PATH, null, "{\"app_id\":\"" + FeishuSimulator.APP_ID
        + "\",\"app_secret\":\"" + FeishuSimulator.APP_SECRET + "\"}").path("tenant_access_token").asText();
    JsonNode answer = post("/open-apis/approval/v4/tasks/approve?user_id_type=user_id", token,
        "{\"approval_code\":\"" + APPROVAL + "\",\"instance_code\":\"" + instanceCode + "\",\"user_id\":\""
            + APPROVER + "\",\"task_id\":\"" + task + "\"}");
    assertThat(answer.path("code").asInt()).isZero();
  }

  private static JsonNode post(String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(FEISHU.baseUrl() + path))
        .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private URI eventUrl() {
    return URI.create("http://127.0.0.1:" + port + "/feishu/events/default");
  }
}
