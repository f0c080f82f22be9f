package io.github.feishuapproval.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.sandbox.MessageRecords;
import io.github.feishuapproval.testkit.SimulatedFlowCallbacks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An aPaaS flow's HTTP node calls the worker back with a human's decision; the process waiting at a message catch
 * event goes on with the decision's variables. Every callback the worker refuses publishes nothing.
 */
class FlowCallbackProcessTest extends ProcessTestSupport {

  static final String PROCESS = "flow-decision-callback";
  static final String SECRET = "callback-secret-second-5c1d";
  static final String SIGNED_ONLY_SECRET = "callback-secret-default-90ab";
  private static final AtomicLong EXECUTIONS = new AtomicLong(7_500_000_000_000_000L);
  private static boolean deployedHere;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void callbackSecrets(DynamicPropertyRegistry registry) {
    registry.add("feishu.apps.second.callback-secret", () -> SECRET);
    registry.add("feishu.callback-secret", () -> SIGNED_ONLY_SECRET);
    registry.add("feishu.callback-signature", () -> "required");
  }

  /** Start, wait at a message catch event for the flow's decision keyed by the flow's execution id, end. */
  static BpmnModelInstance waitingForTheDecision() {
    return Bpmn.createExecutableProcess(PROCESS).startEvent()
        .intermediateCatchEvent("DecisionArrived")
        .message(message -> message.name(FlowCallbackVerifier.DEFAULT_MESSAGE_NAME)
            .zeebeCorrelationKeyExpression("executionId"))
        .endEvent("Decided").done();
  }

  @BeforeEach
  void deployTheWaitingProcess() {
    synchronized (FlowCallbackProcessTest.class) {
      if (!deployedHere) {
        camunda.newDeployResourceCommand().addProcessModel(waitingForTheDecision(), PROCESS + ".bpmn").send().join();
        deployedHere = true;
      }
    }
  }

  @Test
  void aProcessWaitingAtAMessageCatchEventGoesOnWithTheDecisionsVariables() {
    String execution = nextExecution();
    long instance = waitForDecision(execution);

    SimulatedFlowCallbacks.Delivery delivery = node("second").decide(execution, execution + "/task-1",
        Map.of("decision", "agree", "taskId", "1785996265147777", "userId", 1783981209205788123L, "opinion", "同意"));

    assertThat(delivery.status()).isEqualTo(200);
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
    assertThat(PROBE.variable(instance, "decision")).contains("\"agree\"");
    assertThat(PROBE.variable(instance, "userId")).contains("1783981209205788123");
    assertThat(PROBE.variable(instance, "opinion")).contains("\"同意\"");
  }

  @Test
  void theNodesRepeatAfterSuccessIsAnswered200WithoutPublishingAgain() {
    String execution = nextExecution();
    long instance = waitForDecision(execution);
    String messageId = execution + "/task-1";

    assertThat(node("second").decide(execution, messageId, Map.of("decision", "reject")).status()).isEqualTo(200);
    assertThat(node("second").decide(execution, messageId, Map.of("decision", "reject")).status()).isEqualTo(200);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
    assertThat(MessageRecords.publishCommands(ENGINE, messageId)).hasSize(1);
  }

  @Test
  void aDecisionThatComesBeforeTheProcessWaitsIsBufferedForIt() {
    String execution = nextExecution();

    assertThat(node("second").decide(execution, execution + "/early", Map.of("decision", "agree")).status())
        .isEqualTo(200);
    long instance = start(PROCESS, Map.of("executionId", execution));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
  }

  @Test
  void aSignedCallbackIsTakenWhereSignaturesAreRequired() {
    String execution = nextExecution();
    long instance = waitForDecision(execution);

    assertThat(node("default").signed().decide(execution, execution + "/signed", Map.of("decision", "agree"))
        .status()).isEqualTo(200);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
  }

  @Test
  void everyRefusedCallbackIsA4xxThatPublishesNothingAndTheProcessKeepsWaiting() throws Exception {
    String execution = nextExecution();
    long instance = waitForDecision(execution);
    Map<String, String> decision = Map.of("decision", "agree");
    Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);

    assertThat(forged("second", "forged-secret").decide(execution, "forged", decision).status()).isEqualTo(401);
    assertThat(forged("second", "wrong-key").signed().decide(execution, "wrong-signature", decision).status())
        .isEqualTo(401);
    assertThat(node("second").signed().at(tenMinutesAgo).decide(execution, "stale", decision).status())
        .isEqualTo(401);
    assertThat(node("default").decide(execution, "unsigned", decision).status()).isEqualTo(401);
    assertThat(forged("nobody", SECRET).decide(execution, "unknown-app", decision).status()).isEqualTo(401);
    assertThat(node("second").send(("{\"correlationKey\":\"" + execution + "\",\"messageId\":\"oversized\","
        + "\"variables\":{\"opinion\":\"" + "长".repeat(30_000) + "\"}}").getBytes(UTF_8)).status()).isEqualTo(413);
    assertThat(node("second").send("decision=agree".getBytes(UTF_8)).status()).isEqualTo(400);
    assertThat(node("second").send(("{\"correlationKey\":\"" + execution + "\",\"messageId\":\"no-object\","
        + "\"variables\":\"agree\"}").getBytes(UTF_8)).status()).isEqualTo(400);

    assertThat(PROBE.endingOf(instance)).isEmpty();
    for (String refused : new String[] {"forged", "wrong-signature", "stale", "unsigned", "unknown-app", "oversized",
        "no-object"}) {
      assertThat(MessageRecords.publishCommands(ENGINE, refused)).as(refused).isEmpty();
    }
    // the genuine decision still gets through afterwards
    assertThat(node("second").decide(execution, execution + "/genuine", decision).status()).isEqualTo(200);
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
  }

  @Test
  void aSignedCallbackSentAgainVerbatimIsRefusedAsAReplayAndPublishedOnce() throws Exception {
    String execution = nextExecution();
    long instance = waitForDecision(execution);
    String messageId = execution + "/replayed";
    byte[] body = SimulatedFlowCallbacks.decisionBody(execution, messageId, Map.of("decision", "agree"));
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    HttpRequest signed = HttpRequest.newBuilder(url("second"))
        .header("Content-Type", "application/json")
        .header(FlowCallbackVerifier.TIMESTAMP, timestamp)
        .header(FlowCallbackVerifier.SIGNATURE, FlowCallbackVerifier.signature(SECRET, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThat(http.send(signed, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(http.send(signed, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(409);
    }

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Decided");
    assertThat(MessageRecords.publishCommands(ENGINE, messageId)).hasSize(1);
  }

  private long waitForDecision(String execution) {
    long instance = start(PROCESS, Map.of("executionId", execution));
    PROBE.awaitElementActivated(instance, "DecisionArrived");
    return instance;
  }

  private SimulatedFlowCallbacks node(String app) {
    return forged(app, app.equals("default") ? SIGNED_ONLY_SECRET : SECRET);
  }

  private SimulatedFlowCallbacks forged(String app, String secret) {
    return SimulatedFlowCallbacks.to(url(app), secret).retrying(3, Duration.ofMillis(100));
  }

  private URI url(String app) {
    return URI.create("http://127.0.0.1:" + port + "/feishu/callbacks/" + app);
  }

  private static String nextExecution() {
    return Long.toString(EXECUTIONS.incrementAndGet());
  }
}
