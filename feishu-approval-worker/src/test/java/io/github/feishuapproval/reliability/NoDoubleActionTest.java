package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A job whose reject Feishu carried out but whose completion never reached the engine comes back after its timeout;
 * the worker must complete it from memory instead of rejecting a second time.
 */
class NoDoubleActionTest extends ReliabilityTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jobWhoseCompletionWasLostIsCompletedWithoutASecondReject() throws Exception {
    String task = newTaskId();
    LOST.lose(task, 1);
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", "1783981209205788"));

    awaitLostCompletions(1);
    assertThat(FEISHU.callsFor(task)).hasSize(1);
    assertThat(PROBE.endingOf(instance)).isEmpty();
    ENGINE.increaseTime(JOB_TIMEOUT.plusSeconds(1));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobTimeouts(instance)).hasSize(1);
    assertThat(FEISHU.callsFor(task)).hasSize(1);
    JsonNode result = JSON.readTree(PROBE.variable(instance, "rejectResult").orElseThrow());
    assertThat(result.path("logId").asText()).isEqualTo(FEISHU.callsFor(task).getFirst().logId());
  }

  @Test
  void completionLostTwiceStillLeadsToExactlyOneReject() {
    String task = newTaskId();
    LOST.lose(task, 2);
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", "1783981209205788"));

    awaitLostCompletions(1);
    ENGINE.increaseTime(JOB_TIMEOUT.plusSeconds(1));
    awaitLostCompletions(2);
    ENGINE.increaseTime(JOB_TIMEOUT.plusSeconds(1));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobTimeouts(instance)).hasSize(2);
    assertThat(FEISHU.callsFor(task)).extracting(FeishuSimulator.Call::action).containsExactly("reject");
  }

  private static void awaitLostCompletions(int count) {
    PROBE.await(() -> LOST.lostJobKeys().size() >= count ? Optional.of(true) : Optional.<Boolean>empty(),
        count + " lost completions");
    List<Long> keys = LOST.lostJobKeys();
    assertThat(keys).hasSize(count);
  }
}
