package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.ApiRequest;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one place where a Feishu outcome becomes a job command. */
public final class OutcomeMapping {

  private final Duration maxRetryBackoff;
  private final ObjectMapper json;

  public OutcomeMapping(Duration maxRetryBackoff, ObjectMapper json) {
    this.maxRetryBackoff = maxRetryBackoff;
    this.json = json;
  }

  /**
   * @param retries the job's retries when it was activated
   * @param failures how many times this job has now failed transiently, counting this one
   */
  public JobCommand toCommand(FeishuOutcome outcome, SuccessVariables onSuccess, JobHeaders headers, int retries,
      int failures) {
    return toCommand(outcome, onSuccess, headers, retries, failures, null);
  }

  /** @param request what was sent; null where nothing was */
  JobCommand toCommand(FeishuOutcome outcome, SuccessVariables onSuccess, JobHeaders headers, int retries,
      int failures, ApiRequest request) {
    return switch (outcome) {
      case FeishuOutcome.Success s -> new JobCommand.Complete(
          onSuccess.variables(s, headers.resultVariable(), json, request));
      case FeishuOutcome.BusinessError e when onSuccess instanceof SuccessVariables.FlowExecution flow
          && headers.alreadyStartedCodes().contains(e.code()) -> new JobCommand.Complete(
              flow.alreadyStarted(e, headers.resultVariable(), request));
      case FeishuOutcome.BusinessError e -> new JobCommand.ThrowBpmnError(
          Integer.toString(e.code()),
          "Feishu error " + e.code() + ": " + e.msg() + logIdSuffix(e.logId()),
          errorVariables(e));
      case FeishuOutcome.Transient t -> new JobCommand.Fail(
          Math.max(retries - 1, 0),
          headers.backoffAfter(failures, maxRetryBackoff),
          "Feishu call failed: " + t.reason() + logIdSuffix(t.logId())
              + (retries - 1 > 0 ? "; will retry" : "; no retries left"));
      case FeishuOutcome.RateLimited r -> new JobCommand.Fail(
          retries,
          r.retryAfter(),
          "Feishu rate limit reached: " + r.reason() + logIdSuffix(r.logId())
              + "; trying again in " + r.retryAfter().toSeconds() + " s without spending a retry");
      case FeishuOutcome.NotSent n -> new JobCommand.Fail(
          retries,
          n.retryAfter(),
          "Not sent to Feishu yet: " + n.reason() + "; trying again in " + n.retryAfter().toSeconds()
              + " s without spending a retry");
      case FeishuOutcome.ConfigurationError c -> new JobCommand.Fail(
          0,
          Duration.ZERO,
          "Feishu configuration error " + c.code() + ": " + c.msg() + logIdSuffix(c.logId())
              + ". To fix: " + c.remedy() + ", then retry this incident");
    };
  }

  public static JobCommand badInput(String jobType, Iterable<String> problems) {
    return new JobCommand.Fail(0, Duration.ZERO,
        "Bad input for " + jobType + ": " + String.join("; ", problems)
            + ". Nothing was sent to Feishu; fix what is named here, then retry this incident");
  }

  private static Map<String, Object> errorVariables(FeishuOutcome.BusinessError e) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("feishuErrorCode", e.code());
    variables.put("feishuErrorMsg", e.msg());
    variables.put("feishuLogId", e.logId());
    return variables;
  }

  private static String logIdSuffix(String logId) {
    return logId.isEmpty() ? " (no log id)" : " (log id " + logId + ")";
  }
}
