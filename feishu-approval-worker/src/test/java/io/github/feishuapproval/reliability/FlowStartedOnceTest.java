package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A flow's execute is the one job type whose repeat would do something new (start the flow again): whatever happens
 * to a job between Feishu and the engine, Feishu starts its flow once. Every attempt of one job sends the same
 * idempotency key, and a job Feishu carried out is completed from memory without a call.
 */
class FlowStartedOnceTest extends ReliabilityTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jobWhoseCompletionWasLostIsCompletedFromMemoryWithoutStartingTheFlowAgain() throws Exception {
    String flow = "flow_" + newTaskId();
    LOST.lose(flow, 1);
    long instance = start(process("execute-lost", null), variables(flow));

    PROBE.await(() -> LOST.lostJobKeys().size() == 1 ? Optional.of(true) : Optional.empty(), "a lost completion");
    ENGINE.increaseTime(JOB_TIMEOUT.plusSeconds(1));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Started");
    assertThat(PROBE.jobTimeouts(instance)).hasSize(1);
    assertThat(FEISHU.callsFor(flow)).hasSize(1);
    assertThat(FEISHU.actionsCarriedOut()).containsEntry("flow_execute " + flow, 1);
    JsonNode started = JSON.readTree(PROBE.variable(instance, "started").orElseThrow());
    long elementInstance = PROBE.jobTimeouts(instance).getFirst().getElementInstanceKey();
    assertThat(started.path("idempotentKey").asText()).startsWith(elementInstance + "-");
    assertThat(started.path("executionId").asText()).isNotBlank();
  }

  @Test
  void jobRetriedAfterAnAnswerWasLostSendsTheSameKeySoFeishuStartsTheFlowOnce() {
    String flow = "flow_" + newTaskId();
    // Feishu starts the flow, but its answer arrives after the worker stopped waiting
    FEISHU.script(flow, Fault.slow(CALL_TIMEOUT.plusSeconds(2)));
    long instance = start(process("execute-retried", null), variables(flow));

    PROBE.awaitJobFailures(instance, 1);
    ENGINE.increaseTime(java.time.Duration.ofSeconds(2));

    // Feishu documents no code for a repeated key: without alreadyStartedCodes, the repeat is a BPMN error
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("ExecuteFailed");
    assertThat(PROBE.variable(instance, "feishuErrorCode"))
        .contains(Integer.toString(FeishuSimulator.SIMULATED_REPEATED_KEY_CODE));
    var keys = FEISHU.callsFor(flow).stream().map(c -> c.body().path("idempotent_key").asText()).toList();
    assertThat(keys).hasSize(2);
    assertThat(keys.getFirst()).isNotBlank().isEqualTo(keys.getLast());
    assertThat(FEISHU.actionsCarriedOut()).containsEntry("flow_execute " + flow, 1);
  }

  @Test
  void aRepeatedKeyWhoseCodeTheModelerNamedCompletesTheJobAsAlreadyStarted() throws Exception {
    String flow = "flow_" + newTaskId();
    FEISHU.script(flow, Fault.slow(CALL_TIMEOUT.plusSeconds(2)));
    long instance = start(process("execute-already-started",
        FeishuSimulator.SIMULATED_REPEATED_KEY_CODE + ""), variables(flow));

    PROBE.awaitJobFailures(instance, 1);
    ENGINE.increaseTime(java.time.Duration.ofSeconds(2));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Started");
    assertThat(FEISHU.actionsCarriedOut()).containsEntry("flow_execute " + flow, 1);
    JsonNode started = JSON.readTree(PROBE.variable(instance, "started").orElseThrow());
    assertThat(started.path("alreadyStarted").asBoolean()).isTrue();
    assertThat(started.path("executionId").isNull()).isTrue();
    assertThat(started.path("idempotentKey").asText())
        .isEqualTo(FEISHU.callsFor(flow).getFirst().body().path("idempotent_key").asText());
  }

  private static Map<String, Object> variables(String flow) {
    return Map.of("namespace", "package_expense__c", "flowId", flow, "operatorUserId", "1783981209205788");
  }

  private String process(String processId, String alreadyStartedCodes) {
    camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Execute", task -> {
          task.zeebeJobType("feishu-apaas-flow-execute").zeebeJobRetries("3")
              .zeebeTaskHeader("retryBackoff", "PT1S").zeebeTaskHeader("resultVariable", "started");
          if (alreadyStartedCodes != null) task.zeebeTaskHeader("alreadyStartedCodes", alreadyStartedCodes);
        })
        .endEvent("Started")
        .moveToActivity("Execute")
        .boundaryEvent("AnyFeishuError").error()
        .endEvent("ExecuteFailed")
        .done(), processId + ".bpmn").send().join();
    return processId;
  }
}
