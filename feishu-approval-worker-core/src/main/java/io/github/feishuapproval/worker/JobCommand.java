package io.github.feishuapproval.worker;

import io.camunda.client.api.command.CompleteJobCommandStep1;
import io.camunda.client.api.worker.JobClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What to tell the engine about one job. */
public sealed interface JobCommand {

  CompletionStage<?> send(JobClient client, long jobKey);

  record Complete(Map<String, Object> variables) implements JobCommand {
    @Override
    public CompletionStage<?> send(JobClient client, long jobKey) {
      CompleteJobCommandStep1 complete = client.newCompleteCommand(jobKey);
      // no document at all rather than an empty one: nothing for the client to write or the engine to merge
      return (variables.isEmpty() ? complete : complete.variables(variables)).send();
    }
  }

  record ThrowBpmnError(String errorCode, String message, Map<String, Object> variables) implements JobCommand {
    @Override
    public CompletionStage<?> send(JobClient client, long jobKey) {
      return client.newThrowErrorCommand(jobKey).errorCode(errorCode).errorMessage(message).variables(variables).send();
    }
  }

  /** Fails the job; with {@code retries} 0 the engine raises an incident. */
  record Fail(int retries, Duration retryBackoff, String message) implements JobCommand {
    @Override
    public CompletionStage<?> send(JobClient client, long jobKey) {
      return client.newFailCommand(jobKey).retries(retries).retryBackoff(retryBackoff).errorMessage(message).send();
    }
  }
}
