package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fault at any step of a job (variables, headers, app routing, the memory's reads and writes, the mapping, the Feishu
 * client, the command) still ends the job in exactly one command, and gives its in-flight slot back: more jobs than
 * the handler has room for all get through.
 */
class EveryJobIsAnsweredTest {

  private static final int JOBS = HandlerRig.CAPACITY * 2 + 1;

  /** A broken step, the operation it breaks, and what the job's one command must be. */
  record Fault(Supplier<HandlerRig> rig, Consumer<HandlerRig> breakIt, Consumer<FakeJob> breakJob,
      JobOperation operation, Predicate<FakeEngine.Command> expected, boolean feishuCalled) {}

  static Stream<Arguments> faults() {
    Predicate<FakeEngine.Command> incident = FakeEngine.Command::isIncident;
    Predicate<FakeEngine.Command> retried = c -> c.kind().equals("fail") && c.retries() == 2;
    Predicate<FakeEngine.Command> handedBack = c -> c.kind().equals("fail") && c.retries() == 3;
    Predicate<FakeEngine.Command> completed = c -> c.kind().equals("complete");
    List<Arguments> faults = new ArrayList<>();
    faults.add(fault("the variables cannot be read", HandlerRig::new, rig -> { },
        job -> job.breaking("getVariables", new IllegalStateException("injected")), JobOperations.REJECT,
        incident.and(says("Bad input", "the job's variables are not a JSON document")), false));
    faults.add(fault("the task headers cannot be read", HandlerRig::new, rig -> { },
        job -> job.breaking("getCustomHeaders", new IllegalStateException("injected")), JobOperations.REJECT,
        retried.and(says("while reading the task headers")), false));
    faults.add(fault("the tenant's app is missing", () -> new HandlerRig(new ObjectMapper(), new ObjectMapper(),
        Map.of("tenant-a", "gone")), rig -> { }, job -> job.set("getTenantId", "tenant-a"), JobOperations.REJECT,
        retried.and(says("while choosing the Feishu app")), false));
    faults.add(fault("the claim throws", HandlerRig::new, rig -> rig.memory.breaking("claim",
        FaultyMemory.Fault.THROWS), job -> { }, JobOperations.REJECT, retried.and(says("while claiming")), false));
    faults.add(fault("the claim cannot reach the store", HandlerRig::new, rig -> rig.memory.breaking("claim",
        FaultyMemory.Fault.FAILS), job -> { }, JobOperations.REJECT, handedBack.and(says("could not be reached")),
        false));
    faults.add(fault("the memory read throws", HandlerRig::new, rig -> rig.memory.breaking("completionOf",
        FaultyMemory.Fault.THROWS), job -> { }, JobOperations.REJECT,
        retried.and(says("while reading the memory of done jobs")), false));
    faults.add(fault("the memory read fails", HandlerRig::new, rig -> rig.memory.breaking("completionOf",
        FaultyMemory.Fault.FAILS), job -> { }, JobOperations.REJECT, handedBack.and(says("could not be read")),
        false));
    faults.add(fault("the failure count throws", HandlerRig::new, rig -> {
      rig.memory.breaking("recordFailure", FaultyMemory.Fault.THROWS);
      rig.feishuStatus = 503;
      rig.feishuAnswer = "busy";
    }, job -> { }, JobOperations.REJECT, retried.and(says("while counting the job's failures", "Feishu answered")),
        true));
    faults.add(fault("the memory write throws", HandlerRig::new, rig -> rig.memory.breaking("rememberCompletion",
        FaultyMemory.Fault.THROWS), job -> { }, JobOperations.REJECT,
        incident.and(says("while writing the memory of done jobs", "Feishu carried out")), true));
    faults.add(fault("the memory write fails", HandlerRig::new, rig -> rig.memory.breaking("rememberCompletion",
        FaultyMemory.Fault.FAILS), job -> { }, JobOperations.REJECT, completed, true));
    faults.add(fault("the claim's release throws", HandlerRig::new, rig -> rig.memory.breaking("release",
        FaultyMemory.Fault.THROWS), job -> { }, JobOperations.REJECT, completed, true));
    faults.add(fault("forgetting the job throws", HandlerRig::new, rig -> rig.memory.breaking("forget",
        FaultyMemory.Fault.THROWS), job -> { }, JobOperations.REJECT, completed, true));
    faults.add(fault("the mapping throws", () -> new HandlerRig(new ObjectMapper() {
      @Override
      public <T> T convertValue(Object fromValue, Class<T> toValueType) {
        throw new IllegalStateException("injected");
      }
    }, new ObjectMapper(), Map.of()), rig -> { }, job -> { }, JobOperations.QUERY_USER_TASKS,
        incident.and(says("while turning Feishu's answer into a job command", "Feishu carried out")), true));
    faults.add(fault("the Feishu client throws", () -> new HandlerRig(new ObjectMapper(), new ObjectMapper() {
      @Override
      public String writeValueAsString(Object value) throws JsonProcessingException {
        throw new JsonMappingException(null, "injected");
      }
    }, Map.of()), rig -> { }, job -> { }, JobOperations.REJECT,
        retried.and(says("while calling Feishu", "nothing was sent to Feishu")), false));
    faults.add(fault("the command cannot be started", HandlerRig::new,
        rig -> rig.engine.refuseToStart = new IllegalStateException("injected"), job -> { }, JobOperations.REJECT,
        completed, true));
    faults.add(fault("the command is refused", HandlerRig::new, rig -> rig.engine.answer = command ->
        CompletableFuture.failedFuture(new IllegalStateException("injected")), job -> { }, JobOperations.REJECT,
        completed, true));
    faults.add(fault("sending the command throws", HandlerRig::new, rig -> rig.engine.answer = command -> {
      throw new IllegalStateException("injected");
    }, job -> { }, JobOperations.REJECT, completed, true));
    return faults.stream();
  }

  @ParameterizedTest
  @MethodSource("faults")
  void aFaultAtAnyStepEndsEachJobInExactlyOneCommandAndGivesItsSlotBack(Fault fault) {
    try (HandlerRig rig = fault.rig().get()) {
      fault.breakIt().accept(rig);
      List<FakeJob> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        FakeJob job = new FakeJob(fault.operation().jobType(), fault.operation() == JobOperations.REJECT
            ? HandlerRig.reject("17859962651" + i) : "{\"kunlunUserId\":\"1783981209205788\"}");
        fault.breakJob().accept(job);
        jobs.add(job);
        rig.run(fault.operation(), job);
      }

      for (FakeJob job : jobs) {
        FakeEngine.Command command = rig.answerTo(job);
        assertThat(rig.engine.commandsFor(job.key())).as("commands for one job").hasSize(1);
        assertThat(command).as("the job's command").matches(fault.expected());
      }
      assertThat(rig.handler.jobsInFlight()).isZero();
      assertThat(rig.calls).as("calls to Feishu").hasSize(fault.feishuCalled() ? JOBS : 0);
    }
  }

  @Test
  void aBackoffHeaderBeyondAnySaneBoundIsBadInputRatherThanAnOverflowThatKeepsTheSlot() {
    try (HandlerRig rig = new HandlerRig()) {
      rig.feishuStatus = 503;
      List<FakeJob> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("1785996265" + i))
            .set("getCustomHeaders", Map.of("retryBackoff", "P99999999999999D"));
        jobs.add(job);
        rig.run(JobOperations.REJECT, job);
      }

      for (FakeJob job : jobs) {
        assertThat(rig.answerTo(job)).matches(FakeEngine.Command::isIncident)
            .matches(says("task header retryBackoff may be at most PT24H", "feishu.worker.max-retry-backoff"));
      }
      assertThat(rig.calls).isEmpty();
    }
  }

  @Test
  void theBackoffOfManyFailuresStopsAtTheCapWithoutOverflowing() {
    List<String> problems = new ArrayList<>();
    JobHeaders longest = JobHeaders.read(Map.of("retryBackoff", "P1D"), Duration.ofSeconds(5), Duration.ofDays(3650),
        problems);

    assertThat(problems).isEmpty();
    assertThat(longest.backoffAfter(2, Duration.ofDays(3650))).isEqualTo(Duration.ofDays(2));
    assertThat(longest.backoffAfter(Integer.MAX_VALUE, Duration.ofDays(3650))).isEqualTo(Duration.ofDays(3650));
    assertThat(longest.backoffAfter(Integer.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
  }

  private static Arguments fault(String name, Supplier<HandlerRig> rig, Consumer<HandlerRig> breakIt,
      Consumer<FakeJob> breakJob, JobOperation operation, Predicate<FakeEngine.Command> expected,
      boolean feishuCalled) {
    return Arguments.of(Named.of(name, new Fault(rig, breakIt, breakJob, operation, expected, feishuCalled)));
  }

  private static Predicate<FakeEngine.Command> says(String... parts) {
    return command -> {
      for (String part : parts) if (!command.message().contains(part)) return false;
      return true;
    };
  }
}
