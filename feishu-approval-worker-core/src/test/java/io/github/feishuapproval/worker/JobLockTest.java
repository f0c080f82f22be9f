package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A job is called for only while its lock covers the call, by one worker at a time, and what is remembered of it
 * belongs to that job alone and lasts by the job timeout.
 */
class JobLockTest {

  @Test
  void aJobWhoseLockRunsOutBeforeItsCallCouldEndIsHandedBackWithoutACallOrASpentRetry() {
    try (HandlerRig rig = new HandlerRig()) {
      FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"))
          .set("getDeadline", System.currentTimeMillis() + 1500);

      rig.run(JobOperations.REJECT, job);

      FakeEngine.Command command = rig.answerTo(job);
      assertThat(command.kind()).isEqualTo("fail");
      assertThat(command.retries()).isEqualTo(3);
      assertThat(command.given()).containsEntry("retryBackoff", Duration.ofSeconds(3));
      assertThat(command.message()).contains("of the job's lock were left", "nothing was sent to Feishu");
      assertThat(rig.calls).isEmpty();
    }
  }

  @Test
  void aJobTimeoutShorterThanAnyCallIsAnIncidentRatherThanAJobHandedBackForever() {
    try (HandlerRig rig = new HandlerRig()) {
      FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"))
          .set("getDeadline", System.currentTimeMillis() + 3000);

      rig.run(HandlerRig.subscription(JobOperations.REJECT, Duration.ofSeconds(3)), job);

      FakeEngine.Command command = rig.answerTo(job);
      assertThat(command.isIncident()).isTrue();
      assertThat(command.message()).contains("job timeout", "PT3S", "raise the job timeout");
      assertThat(rig.calls).isEmpty();
    }
  }

  @Test
  void aJobAnotherWorkerIsCallingForIsHandedBackUntilThatCallIsOver() {
    try (HandlerRig rig = new HandlerRig()) {
      FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"));
      JobIdentity identity = JobIdentity.of("cli_rig", job.job());
      rig.memory.claim(identity, "another replica", Duration.ofMinutes(1));

      rig.run(JobOperations.REJECT, job);

      FakeEngine.Command command = rig.answerTo(job);
      assertThat(command.retries()).isEqualTo(3);
      assertThat(command.message()).contains("another worker is calling Feishu for this job right now");
      assertThat(rig.calls).isEmpty();

      rig.memory.release(identity, "another replica");
      rig.run(JobOperations.REJECT, job);
      await(rig, job, 2);
      assertThat(rig.engine.commandsFor(job.key()).get(1).kind()).isEqualTo("complete");
      assertThat(rig.calls).hasSize(1);
    }
  }

  @Test
  void aJobOfAnotherClusterWithTheSameJobKeyIsCalledForRatherThanCompletedFromTheOthersMemory() {
    try (HandlerRig rig = new HandlerRig()) {
      // the completion never reaches the engine, so the memory of the job is kept
      rig.engine.answer = command -> CompletableFuture.failedFuture(new IllegalStateException("lost"));
      FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"));
      rig.run(JobOperations.REJECT, job);
      await(rig, job, 1);

      FakeJob sameKeyElsewhere = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"))
          .set("getKey", job.key());
      sameKeyElsewhere.set("getProcessInstanceKey", 7L).set("getElementInstanceKey", 8L);
      rig.run(JobOperations.REJECT, sameKeyElsewhere);
      await(rig, job, 2);
      assertThat(rig.calls).as("the other cluster's job is called for").hasSize(2);

      rig.run(JobOperations.REJECT, job);
      await(rig, job, 3);
      assertThat(rig.calls).as("the same job comes back and is completed from memory").hasSize(2);
      assertThat(rig.engine.commandsFor(job.key())).allMatch(c -> c.kind().equals("complete"));
    }
  }

  @Test
  void theMemoryOfAJobLastsByTheJobTimeoutAndItsRetriesWhateverIsLeftOfItsLock() {
    try (HandlerRig rig = new HandlerRig()) {
      FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265147395"))
          .set("getDeadline", System.currentTimeMillis() + 40_000);

      rig.run(HandlerRig.subscription(JobOperations.REJECT, Duration.ofMinutes(2)), job);
      rig.answerTo(job);

      // (job timeout + longest backoff) for each of 3 retries and two more rounds
      assertThat(rig.memory.keptFor).containsExactly(Duration.ofMinutes(2 + 5).multipliedBy(5));
    }
  }

  private static void await(HandlerRig rig, FakeJob job, int commands) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> rig.engine.commandsFor(job.key()).size() >= commands && rig.handler.jobsInFlight() == 0);
  }

}
