package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeMappingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutcomeMapping mapping = new OutcomeMapping(Duration.ofMinutes(5), JSON);
  private static final SuccessVariables ACTION = new SuccessVariables.ActionResult();
  private final JobHeaders plain = headers(Map.of());

  @Test
  void successCompletesWithoutVariablesUnlessAResultVariableIsNamed() {
    var success = new FeishuOutcome.Success(0, "success", "log-1", JSON.createObjectNode());

    assertThat(command(success, plain, 3, 0)).isEqualTo(new JobCommand.Complete(Map.of()));
    assertThat(command(success, headers(Map.of("resultVariable", "rejectResult")), 3, 0))
        .isEqualTo(new JobCommand.Complete(Map.of("rejectResult", Map.of("code", 0, "msg", "success", "logId", "log-1"))));
  }

  @Test
  void businessErrorThrowsTheCodeAsBpmnErrorWithMessageAndVariables() {
    var command = command(new FeishuOutcome.BusinessError(2320001, "param is invalid", "log-2"), plain, 3, 0);

    assertThat(command).isEqualTo(new JobCommand.ThrowBpmnError("2320001",
        "Feishu error 2320001: param is invalid (log id log-2)",
        Map.of("feishuErrorCode", 2320001, "feishuErrorMsg", "param is invalid", "feishuLogId", "log-2")));
  }

  @Test
  void transientFailureSpendsOneRetryWithABackoffThatDoubles() {
    var transientOutcome = new FeishuOutcome.Transient("HTTP 503 with an empty body", "log-3");
    JobHeaders tenSeconds = headers(Map.of("retryBackoff", "PT10S"));

    var first = (JobCommand.Fail) command(transientOutcome, tenSeconds, 3, 1);
    var second = (JobCommand.Fail) command(transientOutcome, tenSeconds, 2, 2);
    var capped = (JobCommand.Fail) command(transientOutcome, tenSeconds, 9, 9);

    assertThat(first.retries()).isEqualTo(2);
    assertThat(first.retryBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(first.message()).contains("HTTP 503", "log-3", "will retry");
    assertThat(second.retryBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(capped.retryBackoff()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void lastTransientFailureLeavesZeroRetriesSoTheEngineRaisesAnIncident() {
    var command = (JobCommand.Fail) command(new FeishuOutcome.Transient("timed out", ""), plain, 1, 3);

    assertThat(command.retries()).isZero();
    assertThat(command.message()).contains("timed out", "no log id", "no retries left");
  }

  @Test
  void rateLimitKeepsTheRetriesAndWaitsWhatFeishuSaid() {
    var command = (JobCommand.Fail) command(
        new FeishuOutcome.RateLimited(Duration.ofSeconds(7), "Feishu code 99991400", "log-4"), plain, 2, 0);

    assertThat(command.retries()).isEqualTo(2);
    assertThat(command.retryBackoff()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void configurationErrorIsAnIncidentThatSaysWhatToFix() {
    var command = (JobCommand.Fail) command(new FeishuOutcome.ConfigurationError(99991672, "Access denied",
        "log-5", "grant the app the API scope app_engine:approval:write"), plain, 3, 0);

    assertThat(command.retries()).isZero();
    assertThat(command.message()).contains("99991672", "Access denied", "log-5", "app_engine:approval:write");
  }

  @Test
  void malformedRetryBackoffHeaderIsAProblem() {
    List<String> problems = new ArrayList<>();
    JobHeaders.read(Map.of("retryBackoff", "ten seconds"), Duration.ofSeconds(5), Duration.ofMinutes(5), problems);

    assertThat(problems).containsExactly("task header retryBackoff must be an ISO-8601 duration such as PT10S");
  }

  @Test
  void queryCompletesWithTheListUnderTheResultVariableOrItsDefaultName() throws Exception {
    var data = JSON.readTree("{\"count\":\"2\",\"tasks\":[{\"task_id\":\"1\"},{\"task_id\":\"2\"}]}");
    var success = new FeishuOutcome.Success(0, "success", "log-q", data);
    var query = new SuccessVariables.DataList("tasks", "userTasks");

    assertThat(mapping.toCommand(success, query, plain, 3, 0)).isEqualTo(new JobCommand.Complete(
        Map.of("userTasks", List.of(Map.of("task_id", "1"), Map.of("task_id", "2")))));
    assertThat(mapping.toCommand(success, query, headers(Map.of("resultVariable", "pending")), 3, 0))
        .isEqualTo(new JobCommand.Complete(Map.of("pending", List.of(Map.of("task_id", "1"), Map.of("task_id", "2")))));
  }

  private JobCommand command(FeishuOutcome outcome, JobHeaders headers, int retries, int failures) {
    return mapping.toCommand(outcome, ACTION, headers, retries, failures);
  }

  private static JobHeaders headers(Map<String, String> raw) {
    List<String> problems = new ArrayList<>();
    JobHeaders headers = JobHeaders.read(raw, Duration.ofSeconds(5), Duration.ofMinutes(5), problems);
    assertThat(problems).isEmpty();
    return headers;
  }
}
