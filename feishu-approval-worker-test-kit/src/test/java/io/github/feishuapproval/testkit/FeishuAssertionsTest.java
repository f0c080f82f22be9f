package io.github.feishuapproval.testkit;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeishuAssertionsTest extends TestKitOnAnEngine {

  @AfterEach
  void resetTimeout() {
    FeishuAssertions.resetAssertionTimeout();
  }

  @Test
  void anAssertionRightAfterStartingAnInstanceWaitsForTheWorkersCall() {
    String task = newTaskId();
    start("feishu-approval-reject-example", Map.of("approvalTaskId", task, "userId", USER, "opinion", "拒绝"));

    assertThat(feishu).rejected(task).byUser(USER).withOpinion("拒绝").asApp(FeishuSimulator.APP_ID);
    assertThat(feishu).receivedCallsFor(task, 1);
  }

  @Test
  void aCallThatNeverComesFailsOnceTheTimeoutRanOutSayingWhatFeishuGot() {
    String task = newTaskId();
    start("feishu-approval-reject-example", Map.of("approvalTaskId", task, "userId", USER));
    assertThat(feishu).rejected(task);

    assertThatThrownBy(() -> assertThat(feishu).within(Duration.ofMillis(200)).agreed(task))
        .hasMessageContaining("agreed " + task + " once, but it was asked 0 times")
        .hasMessageContaining("/reject")
        .hasMessageContaining("after waiting PT0.2S");
  }

  @Test
  void theTimeoutSetForAllAssertionsIsTheOneTheyWait() {
    FeishuAssertions.setAssertionTimeout(Duration.ofMillis(150));

    assertThatThrownBy(() -> assertThat(feishu).transferred(newTaskId()))
        .hasMessageContaining("after waiting PT0.15S");
    assertThatThrownBy(() -> assertThat(feishu).receivedCallsFor(newTaskId(), 1))
        .hasMessageContaining("after waiting PT0.15S");
  }

  @Test
  void receivedNoCallForFailsAtOnceForACallThatCame() {
    String task = newTaskId();
    start("feishu-approval-reject-example", Map.of("approvalTaskId", task, "userId", USER));
    assertThat(feishu).rejected(task);

    assertThatThrownBy(() -> assertThat(feishu).receivedNoCallFor(task))
        .hasMessageContaining("Expected no Feishu call about " + task + ", but there were 1");
  }
}
