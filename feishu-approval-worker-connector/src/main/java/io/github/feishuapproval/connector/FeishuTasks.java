package io.github.feishuapproval.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.connector.api.outbound.JobContext;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuOutcome;
import io.github.feishuapproval.worker.InputField;
import io.github.feishuapproval.worker.JobCommand;
import io.github.feishuapproval.worker.JobHeaders;
import io.github.feishuapproval.worker.JobIdentity;
import io.github.feishuapproval.worker.JobMemory;
import io.github.feishuapproval.worker.JobOperation;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.OutcomeMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connector job, the worker's way: the operation the task names, its variables read and checked by the operation
 * table, one call through the Feishu client and its quota, and Feishu's answer turned into a job command by the
 * worker's mapping. What the runtime does not give (the job key, its retries) is made up for as far as it can be.
 */
final class FeishuTasks {

  private static final Logger log = LoggerFactory.getLogger(FeishuTasks.class);

  /** The task header naming the operation: the worker's job type for it, such as feishu-approval-reject. */
  static final String OPERATION = "feishuOperation";
  static final String APP_ID = "feishuAppId";
  static final String APP_SECRET = "feishuAppSecret";
  /** How long a completion and a count of failures are remembered: longer than a job's retries take. */
  private static final Duration REMEMBER = Duration.ofDays(1);

  private final ConnectorSettings settings;
  private final ConnectorApps apps;
  private final JobMemory memory;
  private final OutcomeMapping mapping;
  private final ObjectMapper json;

  FeishuTasks(ConnectorSettings settings, ConnectorApps apps, JobMemory memory, ObjectMapper json) {
    this.settings = settings;
    this.apps = apps;
    this.memory = memory;
    this.json = json;
    this.mapping = new OutcomeMapping(settings.maxRetryBackoff(), json);
  }

  /** The result to complete the job with; throws what the runtime turns into a BPMN error or a failure. */
  Object run(JobContext job) {
    List<String> problems = new ArrayList<>();
    Optional<JobOperation> operation = operationOf(job, problems);
    JobHeaders headers = JobHeaders.read(job.getCustomHeaders(), settings.retryBackoff(), settings.maxRetryBackoff(),
        problems);
    JsonNode variables = readVariables(job, problems);
    String appId = required(variables, APP_ID, problems);
    String appSecret = required(variables, APP_SECRET, problems);
    JobOperation.Parsed parsed = operation.map(o -> o.parse(variables)).orElse(null);
    if (parsed instanceof JobOperation.Parsed.Invalid invalid) problems.addAll(invalid.problems());
    if (parsed instanceof JobOperation.Parsed.Valid valid && valid.request().tenantKey().isPresent()) {
      problems.add(InputField.TENANT_KEY + " is set, but the connector acts only as self-built apps, for their own "
          + "tenant: leave it empty");
    }
    String what = operation.map(JobOperation::jobType).orElse(job.getType());
    if (!problems.isEmpty()) {
      log.warn("Feishu task {} (element {}, process instance {}) has bad input: {}", what, job.getElementId(),
          job.getProcessInstanceKey(), String.join("; ", problems));
      return ConnectorAnswers.answer(OutcomeMapping.badInput(what, problems));
    }
    JobOperation.Parsed.Valid valid = (JobOperation.Parsed.Valid) parsed;
    // before 8.10 the runtime gives no job key: one service task activation has one job, so its element instance key
    // names the job as well
    JobIdentity identity = new JobIdentity(appId, 0, job.getProcessInstanceKey(), job.getElementInstanceKey());
    Optional<Map<String, Object>> doneBefore = memory.completionOf(identity).toCompletableFuture().join();
    if (doneBefore.isPresent()) {
      log.info("Feishu task {} (element instance {}) came back after Feishu already carried it out; completing it "
          + "without a second call", what, job.getElementInstanceKey());
      return ConnectorAnswers.answer(new JobCommand.Complete(doneBefore.get()));
    }
    FeishuClient feishu = apps.clientFor(appId, appSecret);
    FeishuOutcome outcome = feishu.call(valid.request()).join();
    int failures = outcome instanceof FeishuOutcome.Transient
        ? memory.recordFailure(identity, REMEMBER).toCompletableFuture().join() : 0;
    JobHeaders result = new JobHeaders(Optional.of(ConnectorAnswers.RESULT), headers.retryBackoff(), Optional.empty(),
        headers.alreadyStartedCodes());
    JobCommand command = mapping.toCommand(outcome, operation.get().onSuccess(), result,
        ConnectorAnswers.ASSUMED_RETRIES, failures);
    if (command instanceof JobCommand.Complete complete) {
      memory.rememberCompletion(identity, complete.variables(), REMEMBER).toCompletableFuture().join();
    }
    log.info("Feishu task {} {} (element {}, process instance {}): {} (log id {})", what, valid.pathIds(),
        job.getElementId(), job.getProcessInstanceKey(), outcome.getClass().getSimpleName(), outcome.logId());
    return ConnectorAnswers.answer(command);
  }

  /** The operation the task header names, or else the one whose worker job type the job has. */
  private static Optional<JobOperation> operationOf(JobContext job, List<String> problems) {
    String named = job.getCustomHeaders().getOrDefault(OPERATION, job.getType()).trim();
    Optional<JobOperation> operation = JobOperations.ALL.stream().filter(o -> o.jobType().equals(named)).findFirst();
    if (operation.isEmpty()) {
      problems.add("task header " + OPERATION + " must name a Feishu operation (" + String.join(", ",
          JobOperations.ALL.stream().map(JobOperation::jobType).toList()) + ")");
    }
    return operation;
  }

  private JsonNode readVariables(JobContext job, List<String> problems) {
    try {
      return json.readTree(job.getVariables());
    } catch (Exception e) {
      problems.add("the job's variables are not a JSON document");
      return json.createObjectNode();
    }
  }

  /** A credential the task must give; never echoed. */
  private static String required(JsonNode variables, String name, List<String> problems) {
    JsonNode value = variables.path(name);
    if (!value.isTextual() || value.textValue().isBlank()) {
      problems.add(name + " is missing: fill in the Feishu app of the task's template");
      return "";
    }
    return value.textValue().trim();
  }
}
