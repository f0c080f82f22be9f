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
final class FeishuJobHandler {

  private static final Logger log = LoggerFactory.getLogger(FeishuJobHandler.class);

  private final AppRouting routing;
  private final ObjectMapper json;
  private final WorkerSettings settings;
  private final OutcomeMapping mapping;
  private final JobEvents events;
  private static final Duration MAX_MEMORY = Duration.ofDays(1);

  private final JobMemory memory;
  private final InFlightJobs inFlight;

  public FeishuJobHandler(AppRouting routing, JobMemory memory, ObjectMapper json, WorkerSettings settings,
      JobEvents events) {
    this.routing = routing;
    this.memory = memory;
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
          "Unexpected worker error before calling Feishu: " + unexpected.getClass().getSimpleName()), Map.of(), "",
          null);
    }
  }

  public int jobsInFlight() {
    return inFlight.current();
  }

  public boolean awaitIdle(Duration grace) throws InterruptedException {
    return inFlight.awaitIdle(grace);
  }

  private void start(JobOperation operation, JobClient client, ActivatedJob job) {
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
      send(client, job, OutcomeMapping.badInput(operation.jobType(), problems), Map.of(), "", null);
      return;
    }
    JobOperation.Parsed.Valid valid = (JobOperation.Parsed.Valid) parsed;
    String appId = feishu.settings().appId();
    // read before any call: a job that comes back after Feishu carried it out is completed from memory
    memory.completionOf(appId, job.getKey()).whenComplete((done, unreadable) -> {
      if (unreadable != null) {
        handBack(client, job, valid, appId, "the memory of done jobs could not be read", unreadable);
      } else if (done.isPresent()) {
        JobLogContext.run(job, valid.pathIds(), "", () -> log.info(
            "Job {} came back after Feishu already carried it out; completing it without a second call", job.getKey()));
        send(client, job, new JobCommand.Complete(done.get()), valid.pathIds(), "", appId);
      } else {
        feishu.call(valid.request()).whenComplete((outcome, failure) -> {
          FeishuOutcome settled = failure == null ? outcome
              : new FeishuOutcome.Transient("unexpected failure: " + failure.getClass().getSimpleName(), "");
          finish(operation, client, job, headers, valid, settled, feishu.app(), appId);
        });
      }
    });
  }

  /** The store could not be reached: nothing is sent to Feishu, and the job comes back without spending a retry. */
  private void handBack(JobClient client, ActivatedJob job, JobOperation.Parsed.Valid valid, String appId, String what,
      Throwable failure) {
    String reason = what + " (" + describeFailure(failure) + ")";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.warn("Job {}: {}; handing it back", job.getKey(), reason));
    send(client, job, mapping.toCommand(new FeishuOutcome.NotSent(settings.storeRetryWait(), reason + "; nothing was "
        + "sent to Feishu"), null, null, job.getRetries(), 0), valid.pathIds(), "", appId);
  }

  private void finish(JobOperation operation, JobClient client, ActivatedJob job, JobHeaders headers,
      JobOperation.Parsed.Valid request, FeishuOutcome outcome, String app, String appId) {
    CompletionStage<Integer> failures = outcome instanceof FeishuOutcome.Transient
        ? memory.recordFailure(appId, job.getKey(), keepFor(job)).exceptionally(unrecorded -> 1)
        : CompletableFuture.completedFuture(0);
    failures.thenCompose(count -> {
      JobCommand command = mapping.toCommand(outcome, operation.onSuccess(), headers, job.getRetries(), count);
      if (!(command instanceof JobCommand.Complete complete)) return CompletableFuture.completedFuture(command);
      // written before the completion is sent; if it cannot be written, the completion still goes
      return memory.rememberCompletion(appId, job.getKey(), complete.variables(), keepFor(job))
          .handle((ok, unwritten) -> {
            if (unwritten != null) {
              JobLogContext.run(job, request.pathIds(), outcome.logId(), () -> log.warn("Job {}: Feishu carried it "
                  + "out, but the memory of done jobs could not be written ({}); completing it anyway",
                  job.getKey(), describeFailure(unwritten)));
            }
            return (JobCommand) complete;
          });
    }).thenAccept(command -> {
      JobLogContext.run(job, request.pathIds(), outcome.logId(), () -> log.info(
          "Job {} ({} {} as app {}, element {}, process instance {}): {} -> {} (log id {})", job.getKey(),
          job.getType(), request.pathIds(), app, job.getElementId(), job.getProcessInstanceKey(),
          outcome.getClass().getSimpleName(), describe(command), outcome.logId()));
      send(client, job, command, request.pathIds(), outcome.logId(), appId);
    });
  }

  /** Long enough for the job to come back after every timeout and backoff its retries allow; at most a day. */
  private Duration keepFor(ActivatedJob job) {
    Duration timeout = Duration.ofMillis(Math.max(1000, job.getDeadline() - System.currentTimeMillis()));
    Duration keep = timeout.multipliedBy(Math.max(job.getRetries(), 0) + 2L).plus(settings.maxRetryBackoff());
    return keep.compareTo(MAX_MEMORY) > 0 ? MAX_MEMORY : keep;
  }

  private static String describeFailure(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
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

  private JsonNode readVariables(ActivatedJob job, List<String> problems) {
    try {
      return json.readTree(job.getVariables());
    } catch (Exception e) {
      problems.add("the job's variables are not a JSON document");
      return json.createObjectNode();
    }
  }

  /** Sends the job's command; {@code appId} names the memory to clean up after it, or is null when there is none. */
  private void send(JobClient client, ActivatedJob job, JobCommand command, Map<String, String> ids, String logId,
      String appId) {
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
        if (isFinal(command)) forget(appId, job.getKey());
        return;
      }
      CommandRefusal refusal = CommandRefusal.of(failure);
      if (refusal != CommandRefusal.NOT_DELIVERED) forget(appId, job.getKey());
      JobLogContext.run(job, ids, logId, () -> log.warn("The engine did not take {} for job {} (log id {}): {}; {}",
          describe(command), job.getKey(), logId, failure.getMessage(), refusal.consequence()));
    });
  }

  private void forget(String appId, long jobKey) {
    if (appId != null) memory.forget(appId, jobKey);
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
