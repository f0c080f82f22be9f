package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three replicas of the built jar share one quota and one memory through Redis, against a Feishu that enforces a
 * scaled quota (20 calls per 10 s, Feishu's 100 per minute thirty times faster), a burst of twelve windows. One
 * replica is killed mid-burst; the others go on, and the dead one's jobs come back to them after their timeout. The
 * window is no shorter because the quota's jitter margin is 1 % of it: 100 ms here, 600 ms for Feishu's minute, and
 * four JVMs on two cores delay single calls by more than the 40 ms a 4 s window would leave.
 *
 * <p>What is asserted holds on any machine: Feishu refuses at most 1 % of the calls, every task is acted on once and
 * every instance ends. How much of the quota the replicas use depends on how busy the machine is, so the share is
 * printed here and measured in the benchmark (scenario 8), not asserted.
 */
class SharedStoreReplicasIT {

  private static final int CALLS = 20;
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final int JOBS = 12 * CALLS;

  @Test
  void threeReplicasKeepToOneQuotaAndActOnceEvenWhenOneIsKilledMidBurst() throws Exception {
    try (RedisServer redis = RedisServer.start(); JarTestBed bed = JarTestBed.start()) {
      bed.feishu().quota(CALLS, WINDOW);
      List<WorkerProcess> replicas = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) replicas.add(replica(bed, redis));
        for (WorkerProcess replica : replicas) replica.awaitOutput("Taking jobs of type", Duration.ofSeconds(120));

        EngineProbe probe = new EngineProbe(bed.engine(), Duration.ofSeconds(300));
        // jobs first until every replica has made a call, so that no replica's first call, slow in a fresh JVM, is
        // the burst's: whichever replica polls first takes a whole batch, so a few batches may be needed
        long warmUpTask = 1785996266090000L;
        for (int round = 0; !replicas.stream().allMatch(r -> r.output().contains("Success -> complete")); round++) {
          assertThat(round).as("warm-up rounds before every replica made a call").isLessThan(10);
          for (long warmUp : create(bed, warmUpTask, 6)) probe.awaitEnding(warmUp);
          warmUpTask += 6;
        }
        // the burst starts with the whole quota: the warm-up's slots are a window old
        Thread.sleep(WINDOW.toMillis() + 500);
        bed.feishu().forgetCalls();

        List<Long> instances = create(bed, 1785996266100000L, JOBS);
        Thread.sleep(WINDOW.multipliedBy(2).toMillis());
        awaitQuietMoment(bed.feishu());
        replicas.get(1).close();

        for (long instance : instances) {
          assertThat(probe.awaitEnding(instance).endEvent()).as("instance %d", instance).contains("TaskRejected");
        }
      } finally {
        replicas.forEach(WorkerProcess::close);
      }

      List<FeishuSimulator.Call> calls = bed.feishu().calls();
      Instant first = calls.stream().map(FeishuSimulator.Call::arrived).min(Instant::compareTo).orElseThrow();
      List<Integer> perWindow = perWindow(calls, first);
      // the share of the quota used while jobs were waiting: every window from the first call's on but the last, in
      // which the burst ran out
      int used = perWindow.subList(0, perWindow.size() - 1).stream().mapToInt(Integer::intValue).sum();
      double share = used / (double) (CALLS * (perWindow.size() - 1));
      System.out.printf("%d calls: %.3f of the quota, %d answered 429; calls per window from the first: %s; "
          + "arrivals per window of Feishu's: %s%n", calls.size(), share, bed.feishu().rateLimitedAnswers(), perWindow,
          perWindow(calls, Instant.ofEpochMilli(first.toEpochMilli() / WINDOW.toMillis() * WINDOW.toMillis())));
      assertThat(bed.feishu().rateLimitedAnswers()).isLessThanOrEqualTo(calls.size() / 100);
      assertThat(bed.feishu().actionsCarriedOut()).hasSize(JOBS).allSatisfy((task, times) ->
          assertThat(times).as(task).isEqualTo(1));
    }
  }

  private static List<Long> create(JarTestBed bed, long firstTask, int count) {
    List<Long> instances = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      instances.add(bed.client().newCreateInstanceCommand().bpmnProcessId("feishu-approval-reject-example")
          .latestVersion().variables(Map.of("approvalTaskId", Long.toString(firstTask + i),
              "userId", "1783981209205788")).send().join().getProcessInstanceKey());
    }
    return instances;
  }

  /** Kills between two bursts of calls: a job whose call Feishu answered but whose answer was not yet written down. */
  private static void awaitQuietMoment(FeishuSimulator feishu) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Instant latest = feishu.calls().stream().map(FeishuSimulator.Call::arrived).max(Instant::compareTo)
          .orElse(Instant.MIN);
      if (Duration.between(latest, Instant.now()).toMillis() >= 300) return;
      Thread.sleep(20);
    }
  }

  private static List<Integer> perWindow(List<FeishuSimulator.Call> calls, Instant first) {
    List<Integer> counts = new ArrayList<>();
    for (FeishuSimulator.Call call : calls) {
      int window = (int) (Duration.between(first, call.arrived()).toMillis() / WINDOW.toMillis());
      while (counts.size() <= window) counts.add(0);
      counts.set(window, counts.get(window) + 1);
    }
    return counts;
  }

  private static WorkerProcess replica(JarTestBed bed, RedisServer redis) {
    return WorkerProcess.start(bed.grpcAddress(), bed.feishu(),
        "--feishu.store.type=redis",
        "--spring.data.redis.url=" + redis.url(),
        "--feishu.rate-limit.calls=" + CALLS,
        "--feishu.rate-limit.window=" + WINDOW.toMillis() + "ms",
        // short calls and a job timeout that lets a job wait in the worker for a slot at most one window (19 s less
        // four call timeouts and 5 s), as the defaults let it wait a quarter of Feishu's minute
        "--feishu.http.connect-timeout=1s",
        "--feishu.http.read-timeout=1s",
        "--feishu.http.call-timeout=1s",
        "--feishu.worker.job-timeout=19s",
        "--feishu.worker.shutdown-grace=19s",
        // each missed quota slot and by how much, in the replica's output under target/
        "--logging.level.io.github.feishuapproval.feishu.QuotaDepartures=DEBUG");
  }
}
