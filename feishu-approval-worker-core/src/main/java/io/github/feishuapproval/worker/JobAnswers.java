package io.github.feishuapproval.worker;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal step of every job: whatever its work came to, a value or a failure, exactly one command goes to the
 * engine, the job's claim is given up once no call can still be under way, the memory of the job is dropped once it
 * has no further use, and the job's in-flight slot comes back.
 */
final class JobAnswers {

  // the job's log lines keep one category, the handler's, however the work is split between classes
  private static final Logger log = LoggerFactory.getLogger(FeishuJobHandler.class);

  private final JobMemory memory;
  private final JobEvents events;
  private final InFlightJobs inFlight;
  private final Duration failureBackoff;

  JobAnswers(JobMemory memory, JobEvents events, InFlightJobs inFlight, Duration failureBackoff) {
    this.memory = memory;
    this.events = events;
    this.inFlight = inFlight;
    this.failureBackoff = failureBackoff;
  }

  /**
   * The one place a job is answered: whatever the work came to, exactly one command is sent, and the slot comes back
   * when the engine has heard it or sending it failed.
   */
  void answer(JobClient client, ActivatedJob job, JobOperation operation, JobProgress progress, JobReply reply,
      Throwable failure) {
    boolean slotHandedOn = false;
    try {
      // a call possibly still out keeps its claim until the lock ends, so that no other worker calls meanwhile
      if (failure != null && progress.callOver()) release(progress);
      JobReply settled = failure == null ? reply : unexpected(job, operation, progress, failure);
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
  private void heard(ActivatedJob job, JobReply reply, Throwable refused) {
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
  private JobReply unexpected(ActivatedJob job, JobOperation operation, JobProgress progress, Throwable failure) {
    Throwable cause = unwrap(failure);
    String step = progress.step();
    JobLogContext.run(job, Map.of(), "", () -> log.error("Job {} of type {}: unexpected failure while {}", job.getKey(),
        job.getType(), step, cause));
    String what = cause instanceof TimeoutException
        ? "The worker had no answer for the job " + FeishuJobHandler.OVERDUE_GRACE.toSeconds() + " s after its lock ran out, while "
            + step
        : "Unexpected worker error while " + step + " (" + cause.getClass().getSimpleName() + ")";
    Optional<FeishuOutcome> outcome = progress.outcome();
    if (outcome.isPresent() && outcome.get() instanceof FeishuOutcome.Success) {
      // a retry would call Feishu a second time for what it has done: an operator decides
      return new JobReply(new JobCommand.Fail(0, Duration.ZERO, what + ". Feishu carried out " + operation.jobType()
          + " (log id " + outcome.get().logId() + "): complete the job or check Feishu before retrying this incident, "
          + "as a retry calls Feishu again; see the worker's log for job " + job.getKey()), Map.of(), "", null);
    }
    int retries = Math.max(job.getRetries() - 1, 0);
    String sent = outcome.isPresent() ? "Feishu answered " + outcome.get().getClass().getSimpleName()
        : progress.callLeftYet() ? "the call to Feishu may have been made" : "nothing was sent to Feishu";
    return new JobReply(new JobCommand.Fail(retries, failureBackoff, what + "; " + sent
        + (retries > 0 ? "; will retry" : "; no retries left, retry this incident once the cause is fixed")
        + "; see the worker's log for job " + job.getKey()), Map.of(), "", null);
  }

  /** The call is over and remembered: another activation of the job may call now. A claim left behind expires. */
  CompletionStage<Void> release(JobProgress progress) {
    if (progress.holder() == null) return CompletableFuture.completedFuture(null);
    try {
      return memory.release(progress.claimedJob(), progress.holder()).exceptionally(unreleased -> null);
    } catch (RuntimeException unreleased) {
      return CompletableFuture.completedFuture(null);
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

  static String describe(JobCommand command) {
    return switch (command) {
      case JobCommand.Complete c -> "complete";
      case JobCommand.ThrowBpmnError e -> "BPMN error " + e.errorCode();
      case JobCommand.Fail f when f.retries() == 0 -> "incident";
      case JobCommand.Fail f -> "retry (" + f.retries() + " left, in " + f.retryBackoff() + ")";
    };
  }

  /** The failure itself, not the wrapper a future's stage put around it. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
