package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.ProcessWaits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many instances, each meeting its own random run of Feishu faults, while the token endpoint fails now and then and
 * some completions never reach the engine: every instance must come to rest, and no job may be left for the engine's
 * timeout except those whose completion was lost on purpose.
 */
class NothingIsLostTest extends ReliabilityTestSupport {

  private static final long SEED = 20261124L;
  private static final int INSTANCES = 40;
  private static final Duration TIME_STEP = Duration.ofSeconds(3);
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private static final List<Supplier<Fault>> TRANSIENT = List.of(
      Fault::internalError,
      Fault::badGateway,
      () -> new Fault.RawHttp(200, "text/html", "<html><body>maintenance</body></html>"),
      () -> new Fault.RawHttp(200, "application/json", ""),
      () -> Fault.code(503, 777, "busy"),
      Fault::disconnect,
      Fault::halfBody,
      () -> Fault.slow(READ_TIMEOUT.plusMillis(500)));
  private static final List<Supplier<Fault>> RATE_LIMITED = List.of(
      () -> Fault.rateLimited(1),
      () -> Fault.code(400, 1000004, "request trigger frequency limit"));
  private static final List<Supplier<Fault>> TOKEN = List.of(
      Fault::expireToken,
      () -> Fault.code(400, 99991663, "Invalid access token for authorization"));
  private static final List<Supplier<Fault>> BUSINESS = List.of(
      Fault::paramInvalid,
      () -> Fault.code(404, 2320004, "user does not exist"));
  private static final List<Supplier<Fault>> CONFIGURATION = List.of(
      () -> Fault.code(400, 99991672, "One of the following scopes is required: [app_engine:approval:write]."));

  private record Plan(String taskId, List<Fault> faults, boolean losesCompletion, boolean badInput) {}

  @Test
  void mixOfFaultsOverManyInstancesLeavesEveryInstanceCompletedOnAnErrorPathOrAsAnIncident() throws Exception {
    Random random = new Random(SEED);
    // Every job waiting for the token shares one fetch, so a failed fetch costs each of them a retry; how many jobs
    // wait at that moment depends on timing. Two such failures leave every job one attempt of its three, so the
    // endings below follow from the plans alone (a rate-limited fetch waits without spending a retry).
    FEISHU.scriptTokenEndpoint(Fault.code(500, 10013, "get tenant access token failed"), Fault.rateLimited(1),
        Fault.slow(READ_TIMEOUT.plusMillis(500)));
    Map<Long, Plan> plans = new LinkedHashMap<>();
    for (int i = 0; i < INSTANCES; i++) {
      Plan plan = plan(random);
      FEISHU.script(plan.taskId(), plan.faults().toArray(Fault[]::new));
      if (plan.losesCompletion()) LOST.lose(plan.taskId(), 1);
      Map<String, Object> variables = new HashMap<>();
      variables.put("approvalTaskId", plan.badInput() ? "../" + plan.taskId() : plan.taskId());
      variables.put("userId", "1783981209205788");
      variables.put("opinion", "超时自动拒绝");
      plans.put(start(QUICK_PROCESS, variables), plan);
    }

    Map<Long, ProcessWaits.Ending> endings = driveUntilAllEnd(plans);

    assertThat(workers.jobsInFlight()).as("jobs the worker still holds").isZero();
    for (Map.Entry<Long, Plan> entry : plans.entrySet()) {
      long instance = entry.getKey();
      Plan plan = entry.getValue();
      String context = "instance " + instance + " with " + plan + " (seed " + SEED + ")";
      if (plan.losesCompletion()) {
        assertThat(PROBE.jobTimeouts(instance)).as(context).hasSizeLessThanOrEqualTo(1);
      } else {
        assertThat(PROBE.jobTimeouts(instance)).as("jobs left to the engine's timeout in " + context).isEmpty();
      }
      endings.get(instance).incident().ifPresent(incident ->
          assertThat(incident).as(context).containsAnyOf("log id", "Bad input"));
    }
    Map<String, Long> kinds = endings.values().stream().collect(Collectors.groupingBy(
        e -> e.incident().isPresent() ? "incident" : e.endEvent().orElseThrow(), Collectors.counting()));
    assertThat(kinds).as("the mix reaches every kind of ending")
        .containsOnlyKeys("Rejected", "FeishuErrorHandled", "incident");
    assertThat(LOST.lostJobKeys()).as("completions lost on the way").isNotEmpty();
  }

  private static Plan plan(Random random) {
    List<Fault> faults = new ArrayList<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(100);
      List<Supplier<Fault>> pool = kind < 50 ? TRANSIENT : kind < 70 ? RATE_LIMITED : kind < 85 ? TOKEN
          : kind < 95 ? BUSINESS : CONFIGURATION;
      faults.add(pool.get(random.nextInt(pool.size())).get());
    }
    return new Plan(newTaskId(), faults, random.nextInt(100) < 20, random.nextInt(100) < 5);
  }

  /**
   * Lets engine time pass in steps, but only while the worker holds no job: a step then moves retries and
   * rate-limit waits along, and after enough of them a job whose completion was lost times out and comes back, while
   * no job the worker is still working on can time out.
   */
  private Map<Long, ProcessWaits.Ending> driveUntilAllEnd(Map<Long, Plan> plans) throws InterruptedException {
    Map<Long, ProcessWaits.Ending> endings = new HashMap<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    boolean idleBefore = false;
    while (endings.size() < plans.size()) {
      if (System.nanoTime() > deadline) {
        List<String> open = plans.entrySet().stream().filter(e -> !endings.containsKey(e.getKey()))
            .map(e -> e.getKey() + " " + e.getValue() + " failures " + PROBE.jobFailures(e.getKey()).size())
            .toList();
        throw new AssertionError("instances that never came to rest (seed " + SEED + "): " + open);
      }
      Thread.sleep(300);
      for (long instance : plans.keySet()) {
        if (!endings.containsKey(instance)) {
          Optional<ProcessWaits.Ending> ending = PROBE.endingOf(instance);
          ending.ifPresent(e -> endings.put(instance, e));
        }
      }
      boolean idle = workers.jobsInFlight() == 0;
      if (idle && idleBefore && endings.size() < plans.size()) ENGINE.increaseTime(TIME_STEP);
      idleBefore = idle;
    }
    return endings;
  }
}
