package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.Fault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EscalationProcessTest extends ProcessTestSupport {

  private static final String PROCESS = "feishu-approval-escalation";

  @Test
  void approvalNobodyReviewedWithin48HoursIsRejectedWithTheTimeoutOpinion() {
    long instance = start(PROCESS, Map.of("approvalTaskId", "1785996265148001", "userId", "1783981209205788"));
    PROBE.awaitElementActivated(instance, "ReviewApproval");
    assertThat(FEISHU.callsFor("1785996265148001")).isEmpty();

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("AutoRejected");
    assertThat(FEISHU.callsFor("1785996265148001")).singleElement()
        .satisfies(call -> assertThat(call.body().path("opinion").asText()).isEqualTo("超时自动拒绝"));
  }

  @Test
  void feishuErrorDuringAutoRejectRoutesToTheOperatorNotification() {
    FEISHU.script("1785996265148002", Fault.code(403, 2320005, "insufficient permissions"));
    long instance = start(PROCESS, Map.of("approvalTaskId", "1785996265148002", "userId", "1783981209205788"));
    PROBE.awaitElementActivated(instance, "ReviewApproval");

    ENGINE.increaseTime(Duration.ofHours(48));

    PROBE.awaitElementActivated(instance, "NotifyOperator");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320005");
  }
}
