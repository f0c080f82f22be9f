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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
  private final JobAnswers answers;

  public FeishuJobHandler(AppRouting routing, JobMemory memory, ObjectMapper json, WorkerSettings settings,
      JobEvents events) {
    this.routing = routing;
    this.memory = memory;
    this.json = json;
    this.settings = settings;
    this.events = events;
    this.mapping = new OutcomeMapping(settings.maxRetryBackoff(), json);
    this.inFlight = new InFlightJobs(settings.maxInFlight());
    this.answers = new JobAnswers(memory, events, inFlight, settings.defaultRetryBackoff());
  }

  /**
   * Starts the job and returns at once; the engine hears back when Feishu has answered.
   *
   * @param subscription the worker the job came through: its operation, and the job timeout the memory is kept by
   */
  public void handle(JobSubscription subscription, JobClient client, ActivatedJob job) throws InterruptedException {
    inFlight.enter();
    JobProgress progress = new JobProgress();
    CompletableFuture<JobReply> work;
    try {
      work = work(subscription, job, progress).toCompletableFuture();
      work = work.orTimeout(overdueAfter(job).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Throwable failure) {
      work = CompletableFuture.failedFuture(failure);
    }
    work.whenComplete((reply, failure) -> answers.answer(client, job, subscription.operation(), progress, reply,
        failure));
  }

  public int jobsInFlight() {
    return inFlight.current();
  }

  public boolean awaitIdle(Duration grace) throws InterruptedException {
    return inFlight.awaitIdle(grace);
  }

  /** The command for the job and what goes with it, or a failed stage when something unforeseen broke. */
  private CompletionStage<JobReply> work(JobSubscription subscription, ActivatedJob job, JobProgress progress) {
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
      return done(new JobReply(OutcomeMapping.badInput(operation.jobType(), problems), Map.of(), "", null));
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
          return done(new JobReply(new JobCommand.Complete(doneBefore.get()), valid.pathIds(), "", identity));
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
        .thenCompose(reply -> answers.release(progress).thenApply(ignored -> reply));
  }

  private CompletionStage<JobReply> finish(JobSubscription subscription, ActivatedJob job, JobHeaders headers,
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
          outcome.getClass().getSimpleName(), JobAnswers.describe(command), outcome.logId()));
      return new JobReply(command, request.pathIds(), outcome.logId(), identity);
    });
  }

  /** The store could not be reached: nothing is sent to Feishu, and the job comes back without spending a retry. */
  private JobReply handBack(ActivatedJob job, JobOperation.Parsed.Valid valid, JobIdentity identity, String what,
      Throwable failure) {
    String reason = what + " (" + describeFailure(failure) + ")";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.warn("Job {}: {}; handing it back", job.getKey(), reason));
    return new JobReply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
  }

  /** Another worker holds the job for a call under way: it comes back when that call is over. */
  private JobReply notYours(ActivatedJob job, JobOperation.Parsed.Valid valid, JobIdentity identity) {
    String reason = "another worker is calling Feishu for this job right now (it holds the job's claim)";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.info("Job {}: {}; handing it back", job.getKey(), reason));
    return new JobReply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
  }

  /**
   * Too little of the lock is left for the call: handed back at once rather than left to time out, so that it is soon
   * at hand again for a worker with room, without spending a retry. A job timeout too short for any call is an
   * incident instead, as it would come back that way forever.
   */
  private JobReply lockTooShort(JobSubscription subscription, ActivatedJob job, JobOperation.Parsed.Valid valid,
      JobIdentity identity, Duration needed, Duration lockLeft) {
    if (subscription.timeout().compareTo(needed) < 0) {
      return new JobReply(new JobCommand.Fail(0, Duration.ZERO, "The job timeout of " + job.getType() + " ("
          + subscription.timeout() + ") is shorter than a call to Feishu may take (" + needed + ": the token fetch, "
          + "the call, each up to feishu.http.call-timeout, and " + ANSWER_MARGIN.toSeconds() + " s to answer). "
          + "Nothing was sent to Feishu; raise the job timeout, then retry this incident"), valid.pathIds(), "",
          identity);
    }
    String reason = "only " + Math.max(lockLeft.toMillis(), 0) + " ms of the job's lock were left, and a call to "
        + "Feishu may take " + needed.toMillis() + " ms";
    JobLogContext.run(job, valid.pathIds(), "", () -> log.info("Job {}: {}; handing it back", job.getKey(), reason));
    return new JobReply(notSent(job, settings.storeRetryWait(), reason), valid.pathIds(), "", identity);
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

  private static String describeFailure(Throwable failure) {
    Throwable t = JobAnswers.unwrap(failure);
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
}
