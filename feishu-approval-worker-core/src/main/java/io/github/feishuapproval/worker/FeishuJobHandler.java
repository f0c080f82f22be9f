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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job of any operation: validate, call Feishu without blocking, answer the engine from the callback. However
 * the work ends, one terminal step turns it into exactly one command (complete, BPMN error, or fail with retries or
 * none for an incident) and gives the job's in-flight slot back.
 */
final class FeishuJobHandler {

  private static final Logger log = LoggerFactory.getLogger(FeishuJobHandler.class);
  private static final Duration MAX_MEMORY = Duration.ofDays(1);
  /** Time kept back from the lock for writing the memory of the job and sending its command after the call. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);
  /** How long after the lock's end a job still unanswered is answered anyway, so that its slot comes back. */
  static final Duration OVERDUE_GRACE = Duration.ofSeconds(30);

  private final AppRouting routing;
  private final ObjectMapper json;
  private final WorkerSettings settings;
  private final OutcomeMapping mapping;
  private final JobEvents events;
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

  /**
   * Starts the job and returns at once; the engine hears back when Feishu has answered.
   *
   * @param subscription the worker the job came through: its operation, and the job timeout the memory is kept by
   */
  public void handle(JobSubscription subscription, JobClient client, ActivatedJob job) throws InterruptedException {
    inFlight.enter();
    JobProgress progress = new JobProgress();
    CompletableFuture<Reply> work;
    try {
      work = work(subscription, job, progress).toCompletableFuture();
      work = work.orTimeout(overdueAfter(job).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Throwable failure) {
      work = CompletableFuture.failedFuture(failure);
    }
    work.whenComplete((reply, failure) -> answer(client, job, subscription.operation(), progress, reply, failure));
  }

  public int jobsInFlight() {
    return inFlight.current();
  }

  public boolean awaitIdle(Duration grace) throws InterruptedException {
    return inFlight.awaitIdle(grace);
  }

  /** The command for the job and what goes with it, or a failed stage when something unforeseen broke. */
  private CompletionStage<Reply> work(JobSubscription subscription, ActivatedJob job, JobProgress progress) {
    JobOperation operation = subscription.operation();
    List<String> problems = new ArrayList<>();
    progress.step("reading the task headers");
    JobHeaders headers = JobHeaders.read(job.getCustomHeaders(), settings.defaultRetryBackoff(),
        settings.maxRetryBackoff(), problems);
    progress.step("choosing the Feishu app");
    FeishuClient feishu = routing.appFor(headers.feishuApp(), job.getTenantId(), problems);
    progress.step("reading the variables");
    JobOperation.Parsed parsed = operation.parse(readVariables(job, problems), JobKeys.of(job));
    if (parsed instanceof JobOperation.Parsed.Invalid invalid) problems.addAll(invalid.problems());
    if (feishu != null && !operation.storeApps() && feishu.isStoreApp()) {
      problems.add("the Feishu app '" + feishu.app() + "' is a store app, and Feishu offers " + operation.jobType()
          + " (" + operation.feishu().pathTemplate() + ") to self-built apps only: name a self-built app in the task "
          + "header feishuApp");
    } else if (parsed instanceof JobOperation.Parsed.Valid valid && feishu != null) {
      tenantProblem(feishu, valid.request().tenantKey().isPresent()).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      JobLogContext.run(job, Map.of(), "", () -> log.warn("Job {} ({}, element {}, process instance {}) has bad input: {}",
          job.getKey(), job.getType(), job.getElementId(), job.getProcessInstanceKey(), String.join("; ", problems)));
      return done(new Reply(OutcomeMapping.badInput(operation.jobType(), problems), Map.of(), "", null));
    }
    JobOperation.Parsed.Valid valid = (JobOperation.Parsed.Valid) parsed;
    JobIdentity identity = JobIdentity.of(feishu.settings().appId(), job);
    progress.step("checking the job's lock");
    Duration lockLeft = Duration.ofMillis(job.getDeadline() - System.currentTimeMillis());
    Duration needed = feishu.longestCallBesidesQuotaWaits().plus(ANSWER_MARGIN);
    if (lockLeft.compareTo(needed) < 0) return done(lockTooShort(subscription, job, valid, identity, needed, lockLeft));
    String holder = UUID.randomUUID().toString();
    progress.step("claiming the job in the memory of jobs");
    // claimed before the memory is read: a replica that finished the job released its claim only after writing it
    return memory.claim(identity, holder, lockLeft).handle((claimed, unclaimable) -> {
      if (unclaimable != null) {
        return done(handBack(job, valid, identity, "the memory of jobs could not be reached to claim the job",
            unclaimable));
      }
      if (!claimed) {
        return done(notYours(job, valid, identity));
      }
      progress.claimed(identity, holder);
      progress.step("reading the memory of done jobs");
      return memory.completionOf(identity).handle((doneBefore, unreadable) -> {
        if (unreadable != null) {
          return done(handBack(job, valid, identity, "the memory of done jobs could not be read", unreadable));
        }
        if (doneBefore.isPresent()) {
          JobLogContext.run(job, valid.pathIds(), "", () -> log.info(
              "Job {} came back after Feishu already carried it out; completing it without a second call", job.getKey()));
          return done(new Reply(new JobCommand.Complete(doneBefore.get()), valid.pathIds(), "", identity));
        }
        progress.step("calling Feishu");
        CompletableFuture<FeishuOutcome> call = operation.invocation().invoke(feishu, valid.request(),
            lockLeft.minus(ANSWER_MARGIN));
        progress.callLeft();
        return call.thenCompose(outcome -> {
              progress.answered(outcome);
              return finish(subscription, job, headers, valid, outcome, feishu.app(), identity, progress);
            });
      }).thenCompose(next -> next);
    }).thenCompose(next -> next)
        .thenCompose(reply -> release(progress).thenApply(ignored -> reply));
  }

  private CompletionStage<Reply> finish(JobSubscription subscription, ActivatedJob job, JobHeaders headers,
      JobOperation.Parsed.Valid request, FeishuOutcome outcome, String app, JobIdentity identity, JobProgress progress) {
    progress.step("counting the job's failures");
    CompletionStage<Integer> failures = outcome instanceof FeishuOutcome.Transient
        ? memory.recordFailure(identity, keepFor(subscription, job)).exceptionally(unrecorded -> 1)
        : CompletableFuture.completedFuture(0);
    return failures.thenCompose(count -> {
      progress.step("turning Feishu's answer into a job command");
      JobCommand command = mapping.toCommand(outcome, subscription.operation().onSuccess(), headers, job.getRetries(),
          count, request.request());
      if (!(command instanceof JobCommand.Complete complete)) return done(command);
      progress.step("writing the memory of done jobs");
      // written before the completion is sent; if it cannot be written, the completion still goes
      return memory.rememberCompletion(identity, complete.variables(), keepFor(subscription, job))
          .handle((ok, unwritten) -> {
            if (unwritten != null) {
              JobLogContext.run(job, request.pathIds(), outcome.logId(), () -> log.warn("Job {}: Feishu carried it "
                  + "out, but the memory of done jobs could not be written ({}); completing it anyway",
                  job.getKey(), describeFailure(unwritten)));
            }
            return (JobCommand) complete;
          });
    }).thenApply(command -> {
      JobLogContext.run(job, request.pathIds(), outcome.logId(), () -> log.info(
          "Job {} ({} {} as app {}, element {}, process instance {}): {} -> {} (log id {})", job.getKey(),
          job.getType(), request.pathIds(), app, job.getElementId(), job.getProcessInstanceKey(),
          outcome.getClass().getSimpleName(), describe(command), outcome.logId()));
      return new Reply(command, request.pathIds(), outcome.logId(), identity);
    });
  }

  /** The call is over and remembered: another activation of the job may call now. A claim left behind expires. */
  private CompletionStage<Void> release(JobProgress progress) {
    if (progress.holder() == null) return CompletableFuture.completedFuture(null);
    try {
      return memory.release(progress.claimedJob(), progress.holder()).exceptionally(unreleased -> null);
    } catch (RuntimeException unreleased) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * The one place a job is answered: whatever the work came to, exactly one command is sent, and the slot comes back
   * when the engine has heard it or sending it failed.
   */
  private void answer(JobClient client, ActivatedJob job, JobOperation operation, JobProgress progress, Reply reply,
      Throwable failure) {
    boolean slotHandedOn = false;
    try {
      // a call possibly still out keeps its claim until the lock ends, so that no other worker calls meanwhile
      if (failure != null && progress.callOver()) release(progress);
      Reply settled = failure == null ? reply : unexpected(job, operation, progress, failure);
      CompletionStage<?> sent;
      try {
        sent = settled.command().send(client, job.getKey());
      } catch (RuntimeException unsent) {
        sent = CompletableFuture.failedFuture(unsent);
      }
      sent.whenComplete((ok, refused) -> {
        try {
          heard(job, settled, refused);
        } finally {
          inFlight.leave();
        }
      });
      slotHandedOn = true;
    } catch (Throwable broken) {
      log.error("Job {}: no command could be sent; it comes back after its timeout", job.getKey(), broken);
    } finally {
      if (!slotHandedOn) inFlight.leave();
    }
  }

  /** What the engine made of the command: counted, and the memory of the job dropped once it has no further use. */
  private void heard(ActivatedJob job, Reply reply, Throwable refused) {
    JobCommand command = reply.command();
    if (refused == null) {
      events.jobAnswered(job.getType(), outcomeName(command));
      if (isFinal(command)) forget(reply.remembered());
      return;
    }
    CommandRefusal refusal = CommandRefusal.of(refused);
    if (refusal != CommandRefusal.NOT_DELIVERED) forget(reply.remembered());
    JobLogContext.run(job, reply.ids(), reply.logId(), () -> log.warn(
        "The engine did not take {} for job {} (log id {}): {}; {}", describe(command), job.getKey(), reply.logId(),
        refused.getMessage(), refusal.consequence()));
  }

  /** Something unforeseen broke: the job fails with what an operator needs, spending a retry as a failed call would. */
  private Reply unexpected(ActivatedJob job, JobOperation operation, JobProgress progress, Throwable failure) {
    Throwable cause = unwrap(failure);
    String step = progress.step();
    JobLogContext.run(job, Map.of(), "", () -> log.error("Job {} of type {}: unexpected failure while {}", job.getKey(),
        job.getType(), step, cause));
    String what = cause instanceof TimeoutException
        ? "The worker had no answer for the job " + OVERDUE_GRACE.toSeconds() + " s after its lock ran out, while "
            + step
        : "Unexpected worker error while " + step + " (" + cause.getClass().getSimpleName() + ")";
    Optional<FeishuOutcome> outcome = progress.outcome();
    if (outcome.isPresent() && outcome.get() instanceof FeishuOutcome.Success) {
      // a retry would call Feishu a second time for what it has done: an operator decides
      return new Reply(new JobCommand.Fail(0, Duration.ZERO, what + ". Feishu carried out " + operation.jobType()
          + " (log id " + outcome.get().logId() + "): complete the job or check Feishu before retrying this incident, "
          + "as a retry calls Feishu again; see the worker's log for job " + job.getKey()), Map.of(), "", null);
    }
    int retries = Math.max(job.getRetries() - 1, 0);
    String sent = outcome.isPresent() ? "Feishu answered " + outcome.get().getClass().getSimpleName()
        : progress.callLeftYet() ? "the call to Feishu may have been made" : "nothing was sent to Feishu";
    return new Reply(new JobCommand.Fail(retries, settings.defaultRetryBackoff(), what + "; " + sent
        + (retries > 0 ? "; will retry" : "; no retries left, retry this incident once the cause is fixed")
        + "; see the worker's log for job " + job.getKey()), Map.of(), "", null);
  }

  /** The store could not be reached: nothing is sent to Feishu, and the job comes back without spending a retry. */
  private Reply handBack(ActivatedJob job, JobOperation.Parsed.Valid valid, JobIdentity identity, String what,
      Throwable failure) {
    String reason = what + " (" + describeFailure(failure) + ")";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.warn("Job {}: {}; handing it back", job.getKey(), reason));
    return new Reply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
  }

  /** Another worker holds the job for a call under way: it comes back when that call is over. */
  private Reply notYours(ActivatedJob job, JobOperation.Parsed.Valid valid, JobIdentity identity) {
    String reason = "another worker is calling Feishu for this job right now (it holds the job's claim)";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.info("Job {}: {}; handing it back", job.getKey(), reason));
    return new Reply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
  }

  /**
   * Too little of the lock is left for the call: handed back at once rather than left to time out, so that it is soon
   * at hand again for a worker with room, without spending a retry. A job timeout too short for any call is an
   * incident instead, as it would come back that way forever.
   */
  private Reply lockTooShort(JobSubscription subscription, ActivatedJob job, JobOperation.Parsed.Valid valid,
      JobIdentity identity, Duration needed, Duration lockLeft) {
    if (subscription.timeout().compareTo(needed) < 0) {
      return new Reply(new JobCommand.Fail(0, Duration.ZERO, "The job timeout of " + job.getType() + " ("
          + subscription.timeout() + ") is shorter than a call to Feishu may take (" + needed + ": the token fetch, "
          + "the call, each up to feishu.http.call-timeout, and " + ANSWER_MARGIN.toSeconds() + " s to answer). "
          + "Nothing was sent to Feishu; raise the job timeout, then retry this incident"), valid.pathIds(), "",
          identity);
    }
    String reason = "only " + Math.max(lockLeft.toMillis(), 0) + " ms of the job's lock were left, and a call to "
        + "Feishu may take " + needed.toMillis() + " ms";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.info("Job {}: {}; handing it back", job.getKey(), reason));
    return new Reply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
  }

  private JobCommand notSent(ActivatedJob job, Duration wait, String reason) {
    return mapping.toCommand(new FeishuOutcome.NotSent(wait, reason + "; nothing was sent to Feishu"), null, null,
        job.getRetries(), 0);
  }

  /** Long enough for the job to come back after every timeout and backoff its retries allow; at most a day. */
  private Duration keepFor(JobSubscription subscription, ActivatedJob job) {
    long rounds = Math.min(Math.max(job.getRetries(), 0), 10_000) + 2L;
    Duration keep = subscription.timeout().plus(settings.maxRetryBackoff()).multipliedBy(rounds);
    return keep.compareTo(MAX_MEMORY) > 0 ? MAX_MEMORY : keep;
  }

  /** When to stop waiting for the work of a job: the lock's end and a grace, or a job timeout from now at least. */
  private static Duration overdueAfter(ActivatedJob job) {
    long left = Math.max(job.getDeadline() - System.currentTimeMillis(), 0);
    return Duration.ofMillis(Math.min(left, MAX_MEMORY.toMillis())).plus(OVERDUE_GRACE);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }

  private static String describeFailure(Throwable failure) {
    Throwable t = unwrap(failure);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** A store app acts for the customer tenant the job names; a self-built app only for its own tenant. */
  private static Optional<String> tenantProblem(FeishuClient feishu, boolean tenantGiven) {
    if (tenantGiven && !feishu.isStoreApp()) {
      return Optional.of(InputField.TENANT_KEY + " is set, but the Feishu app '" + feishu.app()
          + "' is a self-built app, which acts only for its own tenant: leave " + InputField.TENANT_KEY
          + " empty, or name a store app in the task header feishuApp");
    }
    if (!tenantGiven && feishu.isStoreApp()) {
      return Optional.of(InputField.TENANT_KEY + " is missing: the Feishu app '" + feishu.app()
          + "' is a store app and needs the tenant_key of the customer tenant it acts for");
    }
    return Optional.empty();
  }

  private JsonNode readVariables(ActivatedJob job, List<String> problems) {
    try {
      return json.readTree(job.getVariables());
    } catch (Exception e) {
      problems.add("the job's variables are not a JSON document");
      return json.createObjectNode();
    }
  }

  private void forget(JobIdentity remembered) {
    if (remembered == null) return;
    try {
      memory.forget(remembered);
    } catch (RuntimeException ignored) {
      // what is kept expires by itself
    }
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

  /** The command for a job, the ids and log id its log lines carry, and the memory to drop once it is final. */
  private record Reply(JobCommand command, Map<String, String> ids, String logId, JobIdentity remembered) {}
}
