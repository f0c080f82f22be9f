package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job of any operation: validate, call Feishu without blocking, answer the engine from the callback.
 * Every job ends in exactly one command: complete, BPMN error, or fail (with retries, or none for an incident).
 */
public final class FeishuJobHandler {

  private static final Logger log = LoggerFactory.getLogger(FeishuJobHandler.class);

  private final AppRouting routing;
  private final ObjectMapper json;
  private final WorkerSettings settings;
  private final OutcomeMapping mapping;
  private final JobEvents events;
  private final RecentJobs recent = new RecentJobs(10_000);
  private final InFlightJobs inFlight;

  public FeishuJobHandler(AppRouting routing, ObjectMapper json, WorkerSettings settings, JobEvents events) {
    this.routing = routing;
    this.json = json;
    this.settings = settings;
    this.events = events;
    this.mapping = new OutcomeMapping(settings.maxRetryBackoff(), json);
    this.inFlight = new InFlightJobs(settings.maxInFlight());
  }

  /** Starts the job and returns at once; the engine hears back when Feishu has answered. */
  public void handle(JobOperation operation, JobClient client, ActivatedJob job) throws InterruptedException {
    inFlight.enter();
    try {
      start(operation, client, job);
    } catch (RuntimeException unexpected) {
      JobLogContext.run(job, Map.of(), "", () ->
          log.error("Job {} of type {} failed before reaching Feishu", job.getKey(), job.getType(), unexpected));
      send(client, job, new JobCommand.Fail(Math.max(job.getRetries() - 1, 0), settings.defaultRetryBackoff(),
          "Unexpected worker error before calling Feishu: " + unexpected.getClass().getSimpleName()), Map.of(), "");
    }
  }

  public int jobsInFlight() {
    return inFlight.current();
  }

  public boolean awaitIdle(Duration grace) throws InterruptedException {
    return inFlight.awaitIdle(grace);
  }

  private void start(JobOperation operation, JobClient client, ActivatedJob job) {
    JobCommand alreadyDone = recent.completionOf(job.getKey());
    if (alreadyDone != null) {
      JobLogContext.run(job, Map.of(), "", () -> log.info(
          "Job {} came back after Feishu already carried it out; completing it without a second call", job.getKey()));
      send(client, job, alreadyDone, Map.of(), "");
      return;
    }
    List<String> problems = new ArrayList<>();
    JobHeaders headers = JobHeaders.read(job.getCustomHeaders(), settings.defaultRetryBackoff(), problems);
    FeishuClient feishu = routing.appFor(headers.feishuApp(), job.getTenantId(), problems);
    JobOperation.Parsed parsed = operation.parse(readVariables(job, problems));
    if (parsed instanceof JobOperation.Parsed.Invalid invalid) problems.addAll(invalid.problems());
    if (parsed instanceof JobOperation.Parsed.Valid valid && feishu != null) {
      tenantProblem(feishu, valid.request().tenantKey().isPresent()).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      JobLogContext.run(job, Map.of(), "", () -> log.warn("Job {} ({}, element {}, process instance {}) has bad input: {}",
          job.getKey(), job.getType(), job.getElementId(), job.getProcessInstanceKey(), String.join("; ", problems)));
      send(client, job, OutcomeMapping.badInput(operation.jobType(), problems), Map.of(), "");
      return;
    }
    JobOperation.Parsed.Valid valid = (JobOperation.Parsed.Valid) parsed;
    feishu.call(valid.request()).whenComplete((outcome, failure) -> {
      FeishuOutcome settled = failure == null ? outcome
          : new FeishuOutcome.Transient("unexpected failure: " + failure.getClass().getSimpleName(), "");
      finish(operation, client, job, headers, valid, settled, feishu.app());
    });
  }

  /** A store app acts for the customer tenant the job names; a self-built app only for its own tenant. */
  private static java.util.Optional<String> tenantProblem(FeishuClient feishu, boolean tenantGiven) {
    if (tenantGiven && !feishu.isStoreApp()) {
      return java.util.Optional.of(InputField.TENANT_KEY + " is set, but the Feishu app '" + feishu.app()
          + "' is a self-built app, which acts only for its own tenant: leave " + InputField.TENANT_KEY
          + " empty, or name a store app in the task header feishuApp");
    }
    if (!tenantGiven && feishu.isStoreApp()) {
      return java.util.Optional.of(InputField.TENANT_KEY + " is missing: the Feishu app '" + feishu.app()
          + "' is a store app and needs the tenant_key of the customer tenant it acts for");
    }
    return java.util.Optional.empty();
  }

  private void finish(JobOperation operation, JobClient client, ActivatedJob job, JobHeaders headers,
      JobOperation.Parsed.Valid request, FeishuOutcome outcome, String app) {
    int failures = outcome instanceof FeishuOutcome.Transient ? recent.recordFailure(job.getKey()) : 0;
    JobCommand command = mapping.toCommand(outcome, operation.onSuccess(), headers, job.getRetries(), failures);
    if (command instanceof JobCommand.Complete) recent.rememberSuccess(job.getKey(), command);
    JobLogContext.run(job, request.pathIds(), outcome.logId(), () -> log.info(
        "Job {} ({} {} as app {}, element {}, process instance {}): {} -> {} (log id {})", job.getKey(), job.getType(),
        request.pathIds(), app, job.getElementId(), job.getProcessInstanceKey(), outcome.getClass().getSimpleName(),
        describe(command), outcome.logId()));
    send(client, job, command, request.pathIds(), outcome.logId());
  }

  private JsonNode readVariables(ActivatedJob job, List<String> problems) {
    try {
      return json.readTree(job.getVariables());
    } catch (Exception e) {
      problems.add("the job's variables are not a JSON document");
      return json.createObjectNode();
    }
  }

  private void send(JobClient client, ActivatedJob job, JobCommand command, Map<String, String> ids, String logId) {
    CompletionStage<?> sent;
    try {
      sent = command.send(client, job.getKey());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, failure) -> {
      inFlight.leave();
      if (failure == null) {
        events.jobAnswered(job.getType(), outcomeName(command));
        if (isFinal(command)) recent.forget(job.getKey());
        return;
      }
      CommandRefusal refusal = CommandRefusal.of(failure);
      if (refusal != CommandRefusal.NOT_DELIVERED) recent.forget(job.getKey());
      JobLogContext.run(job, ids, logId, () -> log.warn("The engine did not take {} for job {} (log id {}): {}; {}",
          describe(command), job.getKey(), logId, failure.getMessage(), refusal.consequence()));
    });
  }

  private static boolean isFinal(JobCommand command) {
    return !(command instanceof JobCommand.Fail fail) || fail.retries() == 0;
  }

  private static String outcomeName(JobCommand command) {
    return switch (command) {
      case JobCommand.Complete c -> "completed";
      case JobCommand.ThrowBpmnError e -> "bpmn_error";
      case JobCommand.Fail f when f.retries() == 0 -> "incident";
      case JobCommand.Fail f -> "failed";
    };
  }

  private static String describe(JobCommand command) {
    return switch (command) {
      case JobCommand.Complete c -> "complete";
      case JobCommand.ThrowBpmnError e -> "BPMN error " + e.errorCode();
      case JobCommand.Fail f when f.retries() == 0 -> "incident";
      case JobCommand.Fail f -> "retry (" + f.retries() + " left, in " + f.retryBackoff() + ")";
    };
  }

}
