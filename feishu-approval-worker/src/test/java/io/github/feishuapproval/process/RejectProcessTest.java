package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectProcessTest extends ProcessTestSupport {

  private static final String PROCESS = "feishu-approval-reject-example";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong TASKS = new AtomicLong(1785996265147000L);

  @Test
  void successfulRejectTakesTheNormalPathAndStoresTheResultVariable() throws Exception {
    String task = newTaskId();
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", 1783981209205788L, "opinion", "拒绝"));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    var result = JSON.readTree(PROBE.variable(instance, "rejectResult").orElseThrow());
    assertThat(result.path("code").asInt(-1)).isZero();
    assertThat(result.path("msg").asText()).isEqualTo("success");
    assertThat(result.path("logId").asText()).endsWith("SIM");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/" + task + "/reject");
    assertThat(call.authorization()).startsWith("Bearer t-");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"拒绝\"}");
  }

  @Test
  void documentedParamErrorIsCaughtByTheBoundaryEventForItsCode() throws Exception {
    String task = newTaskId();
    FEISHU.script(task, Fault.paramInvalid());
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "1783981209205788"));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("InvalidParameterHandled");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320001");
    assertThat(PROBE.variable(instance, "feishuErrorMsg")).contains("\"param is invalid\"");
    assertThat(PROBE.variable(instance, "feishuLogId").orElseThrow()).endsWith("SIM\"");
  }

  @Test
  void otherFeishuCodesAreCaughtByTheCatchAllBoundary() {
    String task = newTaskId();
    FEISHU.script(task, Fault.code(404, 2320004, "user does not exist"));
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("OtherFeishuErrorHandled");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320004");
  }

  @Test
  void transientFailureIsRetriedAfterTheBackoffAndThenSucceeds() {
    String task = newTaskId();
    FEISHU.script(task, Fault.badGateway());
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    JobRecordValue failure = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(2);
    assertThat(failure.getRetryBackoff()).isEqualTo(Duration.ofSeconds(10).toMillis());
    assertThat(failure.getErrorMessage()).contains("HTTP 502", "log id");
    ENGINE.increaseTime(Duration.ofSeconds(11));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(FEISHU.callsFor(task)).hasSize(2);
  }

  @Test
  void exhaustedRetriesEndInAnIncidentNamingTheCauseAndLogId() {
    String task = newTaskId();
    FEISHU.script(task, Fault.internalError(), Fault.internalError(), Fault.internalError(), Fault.internalError());
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    PROBE.awaitJobFailures(instance, 1);
    ENGINE.increaseTime(Duration.ofSeconds(11));
    PROBE.awaitJobFailures(instance, 2);
    ENGINE.increaseTime(Duration.ofSeconds(21));

    String incident = PROBE.awaitEnding(instance).incident().orElseThrow();
    assertThat(incident).contains("2320002", "log id", "SIM", "no retries left");
    assertThat(PROBE.jobFailures(instance)).extracting(JobRecordValue::getRetries).containsExactly(2, 1, 0);
    assertThat(FEISHU.callsFor(task)).hasSize(3);
  }

  @Test
  void badInputRaisesAnIncidentNamingTheVariableWithoutCallingFeishu() {
    Map<String, Object> variables = new HashMap<>();
    variables.put("approvalTaskId", "../../auth/v3/tenant_access_token/internal");
    variables.put("userId", true);
    long before = FEISHU.calls().size();
    long instance = start(PROCESS, variables);

    String incident = PROBE.awaitEnding(instance).incident().orElseThrow();
    assertThat(incident).contains("approvalTaskId may contain only", "userId must be a string or an integer",
        "Nothing was sent to Feishu");
    assertThat(FEISHU.calls()).hasSize((int) before);
    assertThat(PROBE.jobFailures(instance)).singleElement().extracting(JobRecordValue::getRetries).isEqualTo(0);
  }

  @Test
  void missingUserIdRaisesAnIncidentWithoutCallingFeishu() {
    String task = newTaskId();
    long instance = start(PROCESS, Map.of("approvalTaskId", task));

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains("userId is missing");
    assertThat(FEISHU.callsFor(task)).isEmpty();
  }

  @Test
  void rateLimitedCallWaitsForResetWithoutSpendingRetries() {
    String task = newTaskId();
    FEISHU.script(task, Fault.rateLimited(4));
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    JobRecordValue failure = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(3);
    assertThat(failure.getRetryBackoff()).isEqualTo(4000);
    ENGINE.increaseTime(Duration.ofSeconds(5));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
  }

  @Test
  void missingScopeIsAnIncidentAtOnceSayingWhichScopeToGrant() {
    String task = newTaskId();
    FEISHU.script(task, Fault.code(400, 99991672,
        "Access denied. One of the following scopes is required: [app_engine:approval:write]."));
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    String incident = PROBE.awaitEnding(instance).incident().orElseThrow();
    assertThat(incident).contains("99991672", "grant the app the API scope app_engine:approval:write");
    assertThat(PROBE.jobFailures(instance)).hasSize(1);
  }

  @Test
  void tokenThatExpiresMidRunIsReplacedAndTheRejectSucceeds() {
    String task = newTaskId();
    FEISHU.script(task, Fault.expireToken());
    long instance = start(PROCESS, Map.of("approvalTaskId", task, "userId", "42"));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    List<FeishuSimulator.Call> calls = FEISHU.callsFor(task);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).authorization()).isNotEqualTo(calls.get(0).authorization());
    assertThat(PROBE.jobFailures(instance)).isEmpty();
  }

  private static String newTaskId() {
    return Long.toString(TASKS.incrementAndGet());
  }
}
