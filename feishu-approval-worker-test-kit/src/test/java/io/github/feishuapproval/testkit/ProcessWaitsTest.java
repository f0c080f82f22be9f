package io.github.feishuapproval.testkit;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessWaitsTest extends TestKitOnAnEngine {

  @Test
  void anInstanceTheWorkersCompleteEndsAtItsEndEvent() {
    String task = newTaskId();
    long instance = start("feishu-approval-reject-example", Map.of("approvalTaskId", task, "userId", USER));

    ProcessWaits.Ending ending = ProcessWaits.on(engine).untilEnded(instance);

    assertThat(ending.isCompleted()).isTrue();
    assertThat(ending.endEvent()).contains("TaskRejected");
    assertThat(feishu).rejected(task);
  }

  @Test
  void anIncidentEndsTheWaitWithItsMessage() {
    long instance = start("feishu-approval-reject-example", Map.of("approvalTaskId", newTaskId()));

    ProcessWaits.Ending ending = ProcessWaits.on(engine).untilEnded(instance);

    assertThat(ending.state()).isEqualTo(ProcessWaits.Ending.State.INCIDENT);
    assertThat(ending.incident().orElseThrow()).contains("userId is missing");
  }

  @Test
  void aTimerWaitsUntilTheEngineClockPassesItAndTheInstanceThenEnds() {
    String task = newTaskId();
    long instance = start("feishu-approval-escalation", Map.of("approvalTaskId", task, "userId", USER));
    ProcessWaits waits = ProcessWaits.on(engine);

    waits.untilActivated(instance, "ReviewApproval");
    engine.increaseTime(Duration.ofHours(48));

    assertThat(waits.untilEnded(instance).endEvent()).contains("AutoRejected");
    assertThat(feishu).rejected(task).withOpinion("超时自动拒绝");
  }

  @Test
  void aWaitThatRunsOutSaysWhereTheInstanceIs() {
    long instance = start("feishu-approval-escalation", Map.of("approvalTaskId", newTaskId(), "userId", USER));
    ProcessWaits waits = ProcessWaits.on(engine);
    waits.untilActivated(instance, "ReviewApproval");

    assertThatThrownBy(() -> waits.within(Duration.ofMillis(200)).untilEnded(instance))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Timed out after PT0.2S waiting for process instance " + instance + " to end")
        .hasMessageContaining("ReviewApproval");
    client.newCancelInstanceCommand(instance).send().join();
    assertThat(waits.untilEnded(instance).state()).isEqualTo(ProcessWaits.Ending.State.TERMINATED);
  }
}
