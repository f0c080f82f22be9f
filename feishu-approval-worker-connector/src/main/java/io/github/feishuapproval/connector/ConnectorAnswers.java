package io.github.feishuapproval.connector;

import io.camunda.connector.api.error.ConnectorExceptionBuilder;
import io.camunda.connector.api.error.ConnectorInputException;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.github.feishuapproval.worker.JobCommand;
import java.util.Map;

/**
 * The worker's job command said the connector way: a completion is the connector's result; anything else is thrown for
 * the runtime, whose error expression (filled in by the element templates) turns a Feishu business error into a BPMN
 * error and a wait into a failure that keeps the job's retries, which only the expression can read.
 */
final class ConnectorAnswers {

  /** A wait for the quota or a rate limit: the error expression fails the job keeping its retries. */
  static final String WAIT = "FEISHU_WAIT";
  /** A transient failure: the runtime spends a retry and waits the backoff, with or without the error expression. */
  static final String RETRY = "FEISHU_RETRY";
  /** The backoff of a wait, in the error's variables, as an ISO-8601 duration. */
  static final String RETRY_BACKOFF = "retryBackoff";

  /**
   * The retries the worker's mapping is told the job has: the runtime does not tell the connector, so what the mapping
   * does with them (keep them, spend one, none left) is read relative to this.
   */
  static final int ASSUMED_RETRIES = 1_000;

  /** Under this name the mapping puts the result, which the runtime then puts under the task's result variable. */
  static final String RESULT = "result";

  private ConnectorAnswers() {}

  /** The connector's result for a completion; throws for every other command. */
  static Object answer(JobCommand command) {
    return switch (command) {
      case JobCommand.Complete complete -> complete.variables().get(RESULT);
      case JobCommand.ThrowBpmnError error -> throw new ConnectorExceptionBuilder()
          .errorCode(error.errorCode())
          .message(error.message())
          .errorVariables(error.variables())
          .build();
      case JobCommand.Fail fail -> throw failure(fail);
    };
  }

  private static RuntimeException failure(JobCommand.Fail fail) {
    if (fail.retries() == 0) {
      // the runtime fails an input exception with no retries: an incident, with or without the error expression
      return new ConnectorInputException(fail.message());
    }
    if (fail.retries() >= ASSUMED_RETRIES) {
      return new ConnectorExceptionBuilder()
          .errorCode(WAIT)
          .message(fail.message())
          .errorVariables(Map.of(RETRY_BACKOFF, fail.retryBackoff().toString()))
          .build();
    }
    return ConnectorRetryException.builder()
        .errorCode(RETRY)
        .message(fail.message())
        .backoffDuration(fail.retryBackoff())
        .build();
  }
}
