package io.github.feishuapproval.benchmark;

import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scenarios 8 and 9, the shared store: three replicas on one quota with and without Redis, at Feishu's minute scaled to
 * 10 s and to 2 s, and one replica with and without it when Feishu takes 100 ms.
 */
final class StoreScenarios {

  /** What the benchmark lends these scenarios: starting our jar, and timing a batch of jobs on it. */
  interface Bench {
    /** Our jar, its client-side quota {@code quotaCalls} per {@code quotaWindow} (0: off), and the arguments given. */
    ChildWorker startOurs(String name, int quotaCalls, Duration quotaWindow, List<String> extraArgs) throws Exception;

    JobRecords.Batch measure(ChildWorker worker, int jobs, Duration timeout) throws Exception;

    void row(String scenario, String label, ChildWorker worker, List<JobRecords.Batch> batches, long rateLimited);
  }

  private static final int REPLICAS = 3;
  private static final int ROUNDS = 5;
  private static final int WARM_UP_ROUNDS = 3;
  /**
   * Feishu's minute scaled to 10 s, as SharedStoreReplicasIT runs it, and to 2 s, whose 20 ms jitter margin the calls
   * of busy JVMs overrun: how far the shared quota bends when calls leave late.
   */
  static final List<Duration> REPLICA_WINDOWS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(2));

  private final Bench bench;
  private final FeishuSimulator feishu;
  private final Report report;

  StoreScenarios(Bench bench, FeishuSimulator feishu, Report report) {
    this.bench = bench;
    this.feishu = feishu;
    this.report = report;
  }

  /**
   * Scenario 8: three replicas each told the app's whole quota, a burst of twelve windows, at each of
   * {@link #REPLICA_WINDOWS}; short calls and a job timeout that lets a job wait for its slot in the worker at most one
   * window, as SharedStoreReplicasIT runs them. With the shared store, one replica is killed two windows in; its jobs
   * come back to the others after their timeout.
   */
  void replicas(int calls, RedisServer redis) throws Exception {
    for (Duration window : REPLICA_WINDOWS) replicas(calls, window, redis);
  }

  private void replicas(int calls, Duration window, RedisServer redis) throws Exception {
    String scenario = "8. three replicas, quota " + calls + " per " + window.toSeconds() + " s";
    for (boolean shared : List.of(false, true)) {
      String label = shared ? "3 replicas, shared store (Redis), one killed" : "3 replicas, each its own quota";
      System.out.println("   " + label + ", quota per " + window.toSeconds() + " s");
      feishu.quota(calls, window);
      List<ChildWorker> replicas = new ArrayList<>();
      Thread killer = null;
      try {
        for (int i = 0; i < REPLICAS; i++) {
          List<String> args = new ArrayList<>(List.of("--feishu.http.connect-timeout=1s",
              "--feishu.http.read-timeout=1s", "--feishu.http.call-timeout=1s",
              "--feishu.worker.job-timeout=" + (9 + window.toSeconds()) + "s",
              "--feishu.worker.shutdown-grace=" + (9 + window.toSeconds()) + "s"));
          if (shared) args.addAll(List.of("--feishu.store.type=redis", "--spring.data.redis.url=" + redis.url()));
          replicas.add(bench.startOurs("ours-replica-" + window.toSeconds() + "s-" + (shared ? "shared-" : "own-") + i,
              calls, window, args));
        }
        // a Redis that started less than a window ago holds the quota for the rest of it
        Thread.sleep(window.toMillis() + 200);
        if (shared) {
          ChildWorker victim = replicas.get(1);
          killer = Thread.ofPlatform().start(() -> {
            try {
              Thread.sleep(window.multipliedBy(2).toMillis());
              victim.kill();
            } catch (InterruptedException stopped) {
              Thread.currentThread().interrupt();
            }
          });
        }
        long limited = feishu.rateLimitedAnswers();
        long before = feishu.apiCalls();
        feishu.keepCalls(true);
        feishu.forgetCalls();
        // twelve windows at the quota, and the killed replica's jobs back after their timeout, with room to spare
        JobRecords.Batch batch = bench.measure(replicas.getFirst(), 12 * calls,
            window.multipliedBy(18).plusSeconds(60));
        long rateLimited = feishu.rateLimitedAnswers() - limited;
        long sent = feishu.apiCalls() - before;
        double drained = usedWhileWaiting(feishu.calls(), calls, window);
        feishu.keepCalls(false);
        bench.row(scenario, label, replicas.getFirst(), List.of(batch), rateLimited);
        double share = sent == 0 ? 0 : rateLimited * 100.0 / sent;
        String measured = String.format(Locale.ROOT, "%s of the quota, %d of %d calls answered 429 (%.1f%%), %d "
            + "incidents", Benchmark.ratio(drained), rateLimited, sent, share, batch.incidents());
        if (shared) {
          report.target("8. three replicas sharing Redis, one killed, quota per " + window.toSeconds()
                  + " s: achieved / allowed, 429 share, incidents", measured, ">= 0.95, <= 1%, 0",
              drained >= 0.95 && share <= 1.0 && batch.incidents() == 0 && batch.done());
        } else {
          report.note("Scenario 8 at " + window.toSeconds() + " s without the store: " + measured + ".");
        }
      } finally {
        if (killer != null) killer.join();
        for (ChildWorker replica : replicas) replica.close();
        feishu.noQuota();
      }
    }
  }

  /**
   * The share of the quota Feishu saw used while jobs were waiting: the calls that arrived in each window from the
   * first call's on, all but the last, in which the burst ran out, against the quota of those windows. Calls answered
   * 429 count as used: they are over the quota, not under it.
   */
  static double usedWhileWaiting(List<FeishuSimulator.Call> calls, int quota, Duration window) {
    if (calls.isEmpty()) return 0;
    long[] arrivals = calls.stream().mapToLong(call -> call.arrived().toEpochMilli()).sorted().toArray();
    long first = arrivals[0];
    int[] perWindow = new int[1 + (int) ((arrivals[arrivals.length - 1] - first) / window.toMillis())];
    for (long arrived : arrivals) perWindow[(int) ((arrived - first) / window.toMillis())]++;
    if (perWindow.length < 2) return 0;
    int used = Arrays.stream(perWindow, 0, perWindow.length - 1).sum();
    System.out.println("   calls per window from the first: " + Arrays.toString(perWindow));
    return used / (double) (quota * (perWindow.length - 1));
  }

  /** Scenario 9: one replica, Feishu at 100 ms, without and then with the store; the median of five rounds each. */
  void oneReplica(RedisServer redis, Duration feishuLatency, int jobs) throws Exception {
    String scenario = "9. one replica, Feishu at " + feishuLatency.toMillis() + " ms";
    feishu.latency(feishuLatency);
    double[] rates = new double[2];
    for (int shared = 0; shared < 2; shared++) {
      String label = shared == 1 ? "ours, shared store (Redis)" : "ours, in-process store";
      System.out.println("   " + label);
      List<String> args = shared == 1
          ? List.of("--feishu.store.type=redis", "--spring.data.redis.url=" + redis.url()) : List.of();
      try (ChildWorker ours = bench.startOurs("ours-store-" + shared, 0, Duration.ofMinutes(1), args)) {
        for (int i = 0; i < WARM_UP_ROUNDS; i++) bench.measure(ours, jobs, Benchmark.BATCH_TIMEOUT);
        List<JobRecords.Batch> batches = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) batches.add(bench.measure(ours, jobs, Benchmark.BATCH_TIMEOUT));
        bench.row(scenario, label, ours, batches, 0);
        double[] sorted = batches.stream().mapToDouble(JobRecords.Batch::jobsPerSecond).sorted().toArray();
        rates[shared] = sorted[sorted.length / 2];
        System.out.println("   jobs/s per round: " + Arrays.toString(sorted));
      }
    }
    report.target("9. one replica at " + feishuLatency.toMillis() + " ms, the cost of the store's claim and memory of "
        + "each job: with the store / without, jobs/s",
        Benchmark.ratio(rates[1] / rates[0]), ">= 0.95", rates[1] / rates[0] >= 0.95);
    report.note(String.format(Locale.ROOT, "Scenario 9: %d jobs a round, %d warm-up rounds, then %d measured; each "
        + "worker in a JVM of its own, the one with the store on a local redis-server. Both run with the client-side "
        + "quota off, as in scenarios 1 and 2, so the store's part is the read of the memory of done jobs before each "
        + "call and its write before each completion.", jobs, WARM_UP_ROUNDS, ROUNDS));
    feishu.latency(Duration.ZERO);
  }
}
