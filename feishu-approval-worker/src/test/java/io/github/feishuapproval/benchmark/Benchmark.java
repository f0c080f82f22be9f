package io.github.feishuapproval.benchmark;

import ch.qos.logback.classic.Level;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.sandbox.EmbeddedEngine;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import io.github.feishuapproval.worker.JobOperations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.slf4j.LoggerFactory;

/**
 * Throughput, latency, quota and token behaviour of the worker on the embedded engine against the Feishu simulator,
 * each side by side with a reference measured in the same run. Writes {@link #RESULTS}. Not a test: run it with
 * {@link #COMMAND}, which first builds the jar our worker runs from. Every wait is bounded, so it ends by itself in a few minutes.
 */
public final class Benchmark {

  static final String COMMAND = "./mvnw -q -Pbenchmark -DskipTests package spring-boot:test-run";
  static final Path RESULTS = Path.of("docs", "benchmark", "RESULTS.md");
  private static final Path LOGS = Path.of("target", "benchmark");
  /** An environment variable with JVM options for our worker, to see what they change; unset for the table. */
  static final String JVM_OPTIONS = "BENCHMARK_WORKER_JVM_OPTIONS";
  /** An environment variable with further arguments for our worker, such as {@code --feishu.worker.max-jobs-active=256}. */
  static final String WORKER_ARGS = "BENCHMARK_WORKER_ARGS";
  /** An environment variable naming the scenarios to run, such as {@code 1,2}; a partial run writes under target/. */
  static final String SCENARIOS = "BENCHMARK_SCENARIOS";

  /** What the README suggests where memory is tight: a small serial heap, smaller stacks, the quick compiler only. */
  static final List<String> LEAN_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-Xmx96m", "-Xss512k", "-XX:TieredStopAtLevel=1");

  private static final int MAX_JOBS_ACTIVE = 128;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SLOW_FEISHU = Duration.ofMillis(100);
  /** Warm-up batches per worker and round; rounds go on until the JIT compilers are done, within these bounds. */
  private static final int WARM_UP_JOBS = 2000;
  private static final int MIN_WARM_UP_ROUNDS = 2;
  private static final int MAX_WARM_UP_ROUNDS = 15;
  /** A warm-up round whose JIT compiling took less than this share of all the JVMs' CPU ends the warm-up. */
  private static final double SETTLED_COMPILING = 0.02;
  private static final int THROUGHPUT_JOBS = 2000;
  private static final int ROUNDS = 5;
  private static final int QUOTA_CALLS = 20;
  private static final Duration QUOTA_WINDOW = Duration.ofSeconds(2);
  private static final int QUOTA_JOBS = 12 * QUOTA_CALLS;
  private static final int PEER_JOBS = 200;
  private static final int COLD_START_JOBS = 64;
  /**
   * Unfinished instances per batch. The embedded engine copies its state for every lookup, so its cost per job grows
   * with the instances alive; the backlog is kept full for every worker alike, or a worker that holds its jobs longer
   * (any worker that waits for Feishu) would pay for the engine's larger state, not for anything it does itself.
   */
  private static final int BACKLOG = 2 * MAX_JOBS_ACTIVE;
  /** Create commands awaiting the engine's answer: as many as the backlog, so that creating never holds it below full. */
  private static final int REQUESTS_OPEN = BACKLOG;
  static final Duration BATCH_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int CREATE_ATTEMPTS = 5;

  private static final String OURS = "ours";
  private static final String CEILING = "ceiling";
  private static final String PEER = "peer";
  private static final String HELD = "ceiling-held";

  private final ZeebeTestEngine engine;
  private final FeishuSimulator feishu;
  private final CamundaClient camunda;
  private final JobRecords records;
  private final Report report = new Report();
  private final AtomicLong taskIds = new AtomicLong(1_785_996_265_000_000L);
  private long coldStartFirstActivation;

  private Benchmark(ZeebeTestEngine engine, FeishuSimulator feishu, CamundaClient camunda) {
    this.engine = engine;
    this.feishu = feishu;
    this.camunda = camunda;
    this.records = new JobRecords(engine);
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    Instant ranAt = Instant.now();
    System.out.println("Starting the embedded engine and the Feishu simulator...");
    ZeebeTestEngine engine = EmbeddedEngine.shared();
    int exit = 1;
    try (FeishuSimulator feishu = new FeishuSimulator().start();
         CamundaClient camunda = CamundaClient.newClientBuilder()
             .grpcAddress(URI.create(EmbeddedEngine.grpcAddress()))
             .preferRestOverGrpc(false)
             .build()) {
      feishu.keepCalls(false);
      Benchmark benchmark = new Benchmark(engine, feishu, camunda);
      benchmark.deploy();
      benchmark.run();
      Path results = canonical() ? RESULTS : LOGS.resolve("RESULTS.md");
      benchmark.report.write(results, COMMAND, ranAt);
      System.out.println();
      System.out.println(benchmark.report.markdown(COMMAND, ranAt));
      System.out.println("Written to " + results + "; worker logs in " + LOGS);
      exit = 0;
    } catch (Exception | Error e) {
      e.printStackTrace();
    } finally {
      engine.stop();
      System.exit(exit);
    }
  }

  private void run() throws Exception {
    notes();
    double startupSeconds;
    long steadyRss;
    double oursInstant = 0;
    long maxRss;
    try (ChildWorker ours = coldStart(); ChildWorker ceiling = start(CEILING, "ceiling", ceilingArgs())) {
      startupSeconds = (coldStartFirstActivation - ours.spawnedAt()) / 1000.0;

      if (selected(1)) {
        System.out.println("1. Instant Feishu");
        feishu.latency(Duration.ZERO);
        double[] instant = sideBySide("1. instant Feishu", ceiling, ours, "ours", false);
        oursInstant = instant[1];
        report.target("1. instant Feishu: ours / ceiling jobs/s", ratio(instant[1] / instant[0]), ">= 0.95",
            instant[1] / instant[0] >= 0.95);
      }

      if (selected(2)) {
        System.out.println("2. Feishu answering in " + SLOW_FEISHU.toMillis() + " ms");
        feishu.latency(SLOW_FEISHU);
        double[] slow = sideBySide("2. Feishu at " + SLOW_FEISHU.toMillis() + " ms", ceiling, ours, "ours", true);
        report.target("2. Feishu at " + SLOW_FEISHU.toMillis() + " ms: ours / ceiling jobs/s",
            ratio(slow[1] / slow[0]), ">= 0.90", slow[1] / slow[0] >= 0.9);
        report.note(String.format(Locale.ROOT, "Scenario 2 in context: the ceiling that holds each job %d ms without "
                + "any HTTP reached %s of the ceiling's jobs/s, and ours %s of the holding ceiling's.",
            SLOW_FEISHU.toMillis(), ratio(slow[2] / slow[0]), ratio(slow[1] / slow[2])));
        if (oursInstant > 0) {
          report.note(String.format(Locale.ROOT, "Latency hidden: with Feishu at %d ms our worker ran at %s of its own "
              + "jobs/s with Feishu answering at once.", SLOW_FEISHU.toMillis(), ratio(slow[1] / oursInstant)));
        }
      }
      steadyRss = ours.rssBytes();

      if (selected(4)) {
        System.out.println("4. The blocking Lark SDK worker, Feishu at " + SLOW_FEISHU.toMillis() + " ms");
        feishu.latency(SLOW_FEISHU);
        double peerRate;
        double oursRate;
        try (ChildWorker peer = start(PEER, "peer", peerArgs())) {
          peerRate = single("4. peer, Feishu at 100 ms", "Lark SDK @JobWorker, defaults", peer,
              LarkSdkWorker.JOB_TYPE, PEER_JOBS);
        }
        oursRate = single("4. peer, Feishu at 100 ms", "ours", ours, JobOperations.REJECT.jobType(), PEER_JOBS);
        report.target("4. ours / Lark SDK @JobWorker jobs/s", ratio(oursRate / peerRate), ">= 5",
            oursRate / peerRate >= 5);
      }
      if (selected(7)) transports(ours);
      maxRss = ours.maxRssBytes();
    }
    if (selected(3)) quota();
    if (selected(8) || selected(9)) store();
    if (selected(6)) lean();
    // last: the messages these scenarios leave in the engine slow every later creation
    if (selected(10) || selected(11)) inbound();
    report.target("startup: spawn to first activated job", String.format(Locale.ROOT, "%.1f s", startupSeconds),
        "< 5 s", startupSeconds < 5);
    if (selected(2)) {
      report.target("steady RSS of the worker process (after scenario 2)", Report.mb(steadyRss), "< 256 MB",
          steadyRss > 0 && steadyRss < 256L * 1024 * 1024);
    }
    report.note("Largest RSS of our worker process seen during scenarios 1, 2, 4 and 5: " + Report.mb(maxRss) + ".");
  }

  /** Scenario 5 and startup: 64 jobs wait before our worker's JVM is even started; it must fetch one token. */
  private ChildWorker coldStart() throws Exception {
    System.out.println("5. Cold start with " + COLD_START_JOBS + " jobs waiting, Feishu at " + SLOW_FEISHU.toMillis()
        + " ms");
    ColdStart start = coldStart(OURS, jvmOptions(), "5. cold start, 64 jobs at once", "ours");
    coldStartFirstActivation = start.batch().firstActivated();
    report.target("5. token fetches for 64 jobs on a cold start", Long.toString(start.tokens()), "exactly 1",
        start.tokens() == 1 && start.batch().completed() == COLD_START_JOBS);
    return start.worker();
  }

  private record ColdStart(ChildWorker worker, JobRecords.Batch batch, long tokens, double seconds) {}

  /** Starts our worker's JVM with {@link #COLD_START_JOBS} jobs already waiting and reports the row. */
  private ColdStart coldStart(String name, List<String> jvm, String scenario, String label) throws Exception {
    feishu.latency(SLOW_FEISHU);
    JobRecords.Tracker tracker = records.track(process(OURS), JobOperations.REJECT.jobType(), COLD_START_JOBS);
    createInstances(process(OURS), COLD_START_JOBS, null);
    long tokensBefore = feishu.tokenFetches();
    long limited = feishu.rateLimitedAnswers();
    awaitQuietMachine(name);
    MachineLoad.Mark mark = MachineLoad.markBeforeSpawn();
    ChildWorker ours = ChildWorker.fromJar(name, jar(), jvm, oursArgs(0, Duration.ofMinutes(1)), freePort(), LOGS);
    JobRecords.Batch batch = tracker.await(START_TIMEOUT.plus(BATCH_TIMEOUT), ours::isAlive)
        .withCpu(MachineLoad.since(mark, ours.handle()));
    long tokens = feishu.tokenFetches() - tokensBefore;
    report.row(new Report.Row(scenario, label, batch.jobs(), batch.jobsPerSecond(), batch.latencyPercentile(50),
        batch.latencyPercentile(99), tokens, feishu.rateLimitedAnswers() - limited, batch.incidents(),
        batch.meanUnfinished(), ours.heapUsedBytes(), ours.rssBytes(),
        perJob(batch.cpu().workerMillis(), batch.completed()), perJob(batch.cpu().engineMillis(), batch.completed()),
        share(batch.cpu().compilerMillis(), batch.cpu().workerMillis() + batch.cpu().engineMillis()),
        batch.cpu().othersShare()));
    ours.awaitReady(START_TIMEOUT);
    return new ColdStart(ours, batch, tokens, (batch.firstActivated() - ours.spawnedAt()) / 1000.0);
  }

  /**
   * Scenario 6, beyond the five: our worker with {@link #LEAN_JVM_OPTIONS}, which trade CPU for memory, from a
   * cold start through the rounds of scenario 2 beside the ceiling. Quoted in the README's memory advice.
   */
  private void lean() throws Exception {
    String options = String.join(" ", LEAN_JVM_OPTIONS);
    System.out.println("6. Lean JVM options (" + options + "), Feishu at " + SLOW_FEISHU.toMillis() + " ms");
    String scenario = "6. lean JVM options, Feishu at " + SLOW_FEISHU.toMillis() + " ms";
    ColdStart start = coldStart(OURS + "-lean", LEAN_JVM_OPTIONS, scenario, "ours, lean, cold start 64 jobs");
    try (ChildWorker ours = start.worker(); ChildWorker ceiling = start(CEILING, "ceiling", ceilingArgs())) {
      feishu.latency(SLOW_FEISHU);
      double[] rates = sideBySide(scenario, ceiling, ours, "ours, lean", true);
      long rss = ours.rssBytes();
      report.target("6. lean JVM options: startup", String.format(Locale.ROOT, "%.1f s", start.seconds()), "< 5 s",
          start.seconds() < 5);
      report.target("6. lean JVM options: steady RSS", Report.mb(rss), "< 256 MB",
          rss > 0 && rss < 256L * 1024 * 1024);
      report.target("6. lean JVM options: ours / ceiling jobs/s at " + SLOW_FEISHU.toMillis() + " ms",
          ratio(rates[1] / rates[0]), ">= 0.90", rates[1] / rates[0] >= 0.9);
      report.note(String.format(Locale.ROOT, "Scenario 6 in context: the holding ceiling reached %s of the ceiling's "
          + "jobs/s, and ours with lean options %s of the holding ceiling's.", ratio(rates[2] / rates[0]),
          ratio(rates[1] / rates[2])));
    }
  }

  /** Scenarios 8 and 9: the shared store on a local redis-server. */
  private void store() throws Exception {
    StoreScenarios.Bench bench = new StoreScenarios.Bench() {
      @Override
      public ChildWorker startOurs(String name, int quotaCalls, Duration quotaWindow, List<String> extraArgs)
          throws Exception {
        List<String> args = new ArrayList<>(oursArgs(quotaCalls, quotaWindow));
        args.addAll(extraArgs);
        ChildWorker worker = ChildWorker.fromJar(name, jar(), jvmOptions(), args, freePort(), LOGS);
        worker.awaitReady(START_TIMEOUT);
        return worker;
      }

      @Override
      public JobRecords.Batch measure(ChildWorker worker, int jobs, Duration timeout) throws Exception {
        return Benchmark.this.measure(worker, process(OURS), JobOperations.REJECT.jobType(), jobs, timeout);
      }

      @Override
      public void row(String scenario, String label, ChildWorker worker, List<JobRecords.Batch> batches,
          long rateLimited) {
        fold(scenario, label, worker, batches, 0, rateLimited);
      }
    };
    StoreScenarios scenarios = new StoreScenarios(bench, feishu, report);
    try (RedisServer redis = RedisServer.start()) {
      if (selected(8)) {
        System.out.println("8. Three replicas on one quota, without and with the shared store");
        feishu.latency(SLOW_FEISHU);
        scenarios.replicas(QUOTA_CALLS, redis);
      }
      if (selected(9)) {
        System.out.println("9. One replica without and with the shared store, Feishu at " + SLOW_FEISHU.toMillis()
            + " ms");
        scenarios.oneReplica(redis, SLOW_FEISHU, THROUGHPUT_JOBS);
      }
    }
  }

  /** Scenarios 10 and 11: decisions from aPaaS flows and Feishu Approval's events, on one replica and on three. */
  private void inbound() throws Exception {
    System.out.println("10, 11. Decision callbacks and approval events into Camunda messages, one replica and three");
    InboundScenarios.Bench bench = new InboundScenarios.Bench() {
      @Override
      public ChildWorker startOurs(String name, List<String> extraArgs, int serverPort) throws Exception {
        List<String> args = new ArrayList<>(oursArgs(0, Duration.ofMinutes(1)));
        args.addAll(extraArgs);
        ChildWorker worker = ChildWorker.fromJar(name, jar(), jvmOptions(), args, Benchmark.freePort(), serverPort,
            LOGS);
        worker.awaitReady(START_TIMEOUT);
        return worker;
      }

      @Override
      public int freePort() throws Exception {
        return Benchmark.freePort();
      }
    };
    InboundScenarios scenarios = new InboundScenarios(bench, camunda, records, report, feishu);
    try (RedisServer redis = RedisServer.start()) {
      if (selected(10)) scenarios.callbacks(redis);
      if (selected(11)) scenarios.approvalEvents(redis);
    }
  }

  /** Scenario 7: command latency over gRPC and over REST, side by side, with every job type polling. */
  private void transports(ChildWorker oursOverGrpc) throws Exception {
    System.out.println("7. Command latency over gRPC and over REST, jobs one at a time");
    feishu.latency(Duration.ZERO);
    TransportLatency latency = new TransportLatency(camunda, records);
    TransportLatency.Run grpc = latency.grpc(oursOverGrpc, process(OURS));
    TransportLatency.Run rest = latency.rest(jar(), feishu, freePort(), LOGS);
    try (ChildWorker restWorker = rest.worker()) {
      for (var run : List.of(Map.entry("ours over gRPC (embedded engine)", grpc),
          Map.entry("ours over REST (gateway stand-in)", rest))) {
        TransportLatency.Run r = run.getValue();
        report.row(new Report.Row(TransportLatency.SCENARIO, run.getKey(), r.millis().length, 0, r.percentile(50),
            r.percentile(99), 0, 0, 0, 0, r.worker().heapUsedBytes(), r.worker().rssBytes(), 0, 0, 0, 0));
      }
    }
    report.target("7. REST: p99 from a job handed out to its command at the gateway, all job types polling",
        rest.percentile(99) + " ms (gRPC " + grpc.percentile(99) + " ms)", "< 50 ms", rest.percentile(99) < 50);
    report.note(TransportLatency.describe(grpc, rest));
  }

  /** One worker's part of a scenario: the process it runs, its job type, and the batches measured. */
  private record Turn(ChildWorker worker, String processId, String jobType, List<JobRecords.Batch> batches) {
    Turn(ChildWorker worker, String processId, String jobType) {
      this(worker, processId, jobType, new ArrayList<>());
    }

    JobRecords.Batch run(Benchmark benchmark, int jobs) throws Exception {
      return benchmark.measure(worker, processId, jobType, jobs);
    }
  }

  /**
   * Runs {@link #ROUNDS} rounds of one batch each of the ceiling, our worker and, with {@code held}, the ceiling that
   * keeps every job {@link #SLOW_FEISHU} before completing it; returns the median jobs/s of each: ceiling, ours, held.
   * The order turns by one place every round, so that none of them always runs first or right after another. The
   * rounds follow a warm-up of the same turns.
   */
  private double[] sideBySide(String scenario, ChildWorker ceiling, ChildWorker ours, String oursLabel, boolean held)
      throws Exception {
    Turn ceilingTurn = new Turn(ceiling, process(CEILING), CeilingWorker.JOB_TYPE);
    Turn oursTurn = new Turn(ours, process(OURS), JobOperations.REJECT.jobType());
    Turn heldTurn = new Turn(ceiling, process(HELD), CeilingWorker.HELD_JOB_TYPE);
    List<Turn> turns = held ? List.of(ceilingTurn, oursTurn, heldTurn) : List.of(ceilingTurn, oursTurn);
    warmUp(scenario, turns, List.of(ceiling.handle(), ours.handle()));
    long tokens = feishu.tokenFetches();
    long limited = feishu.rateLimitedAnswers();
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < turns.size(); i++) {
        Turn turn = turns.get((round + i) % turns.size());
        turn.batches().add(turn.run(this, THROUGHPUT_JOBS));
      }
    }
    System.out.println("   jobs/s per batch: ceiling " + rates(ceilingTurn.batches()) + ", ours "
        + rates(oursTurn.batches()) + (held ? ", holding ceiling " + rates(heldTurn.batches()) : ""));
    double ceilingRate = row(scenario, "ceiling (completes at once)", ceiling, ceilingTurn.batches());
    double heldRate = held ? row(scenario, "ceiling holding each job " + SLOW_FEISHU.toMillis() + " ms", ceiling,
        heldTurn.batches()) : 0;
    double oursRate = fold(scenario, oursLabel, ours, oursTurn.batches(), feishu.tokenFetches() - tokens,
        feishu.rateLimitedAnswers() - limited);
    return new double[] {ceilingRate, oursRate, heldRate};
  }

  /**
   * Rounds of the scenario's turns until the JIT compilers of the engine's JVM and of the workers took less than
   * {@link #SETTLED_COMPILING} of their CPU in a round: what is measured after that is compiled code, as it runs for as
   * long as a worker stays up, not the warm-up of a fresh JVM.
   */
  private void warmUp(String scenario, List<Turn> turns, List<ProcessHandle> workers) throws Exception {
    System.out.println("   warming up until the JIT compilers are done...");
    int round = 0;
    double compiling;
    do {
      MachineLoad.Compiling before = MachineLoad.compiling(workers);
      for (Turn turn : turns) turn.run(this, WARM_UP_JOBS);
      compiling = MachineLoad.compiling(workers).shareSince(before);
      round++;
      System.out.printf(Locale.ROOT, "   warm-up round %d: the JIT compilers took %.1f%% of the CPU%n", round,
          compiling * 100);
    } while (round < MAX_WARM_UP_ROUNDS && (round < MIN_WARM_UP_ROUNDS || compiling >= SETTLED_COMPILING));
    report.note(String.format(Locale.ROOT, "Warm-up of %s: %d rounds of %d jobs for each worker; in the last, the "
            + "JIT compilers took %.1f%% of the CPU of the engine's JVM and the workers%s.", scenario, round,
        WARM_UP_JOBS, compiling * 100, compiling < SETTLED_COMPILING ? ""
            : String.format(Locale.ROOT, " (still above %.0f%% after the most rounds allowed)", SETTLED_COMPILING * 100)));
  }

  private static String rates(List<JobRecords.Batch> batches) {
    return batches.stream().map(b -> String.format(Locale.ROOT, "%.0f", b.jobsPerSecond())).toList().toString();
  }

  /** Scenario 3: the simulator enforces a scaled quota; a burst twelve windows long must drain at that rate. */
  private void quota() throws Exception {
    System.out.println("3. Quota of " + QUOTA_CALLS + " calls per " + QUOTA_WINDOW.toSeconds() + " s, burst of "
        + QUOTA_JOBS + " jobs");
    feishu.latency(SLOW_FEISHU);
    feishu.quota(QUOTA_CALLS, QUOTA_WINDOW);
    try (ChildWorker ours = ChildWorker.fromJar("ours-quota", jar(), jvmOptions(), oursArgs(QUOTA_CALLS, QUOTA_WINDOW),
        freePort(), LOGS)) {
      ours.awaitReady(START_TIMEOUT);
      long tokens = feishu.tokenFetches();
      long limited = feishu.rateLimitedAnswers();
      long callsBefore = feishu.apiCalls();
      JobRecords.Batch batch = measure(ours, JobOperations.REJECT.jobType(), QUOTA_JOBS);
      long rateLimited = feishu.rateLimitedAnswers() - limited;
      long calls = feishu.apiCalls() - callsBefore;
      fold("3. quota " + QUOTA_CALLS + " per " + QUOTA_WINDOW.toSeconds() + " s", "ours", ours, List.of(batch),
          feishu.tokenFetches() - tokens, rateLimited);
      // the first window's calls go at once; every later call waits for the quota, so the rest set the rate
      double drained = (batch.completed() - QUOTA_CALLS) * 1000.0 / (batch.lastCompleted() - batch.firstCompleted());
      double allowed = QUOTA_CALLS * 1000.0 / QUOTA_WINDOW.toMillis();
      report.target("3. quota: achieved / allowed calls per second", String.format(Locale.ROOT, "%s (%.2f of %.2f/s)",
          ratio(drained / allowed), drained, allowed), ">= 0.95", drained / allowed >= 0.95);
      report.target("3. quota: incidents", Integer.toString(batch.incidents()), "0", batch.incidents() == 0);
      double share = calls == 0 ? 0 : rateLimited * 100.0 / calls;
      report.target("3. quota: calls answered 429", String.format(Locale.ROOT, "%d of %d (%.2f%%)", rateLimited, calls,
          share), "<= 1%", share <= 1.0 && batch.completed() == QUOTA_JOBS);
    } finally {
      feishu.noQuota();
    }
  }

  private JobRecords.Batch measure(ChildWorker worker, String jobType, int jobs) throws Exception {
    return measure(worker, process(worker.name().startsWith(OURS) ? OURS : worker.name()), jobType, jobs);
  }

  private JobRecords.Batch measure(ChildWorker worker, String processId, String jobType, int jobs) throws Exception {
    return measure(worker, processId, jobType, jobs, BATCH_TIMEOUT);
  }

  private JobRecords.Batch measure(ChildWorker worker, String processId, String jobType, int jobs, Duration timeout)
      throws Exception {
    JobRecords.Tracker tracker = records.track(processId, jobType, jobs);
    MachineLoad.Mark mark = MachineLoad.mark(worker.handle());
    createInstances(processId, jobs, tracker);
    JobRecords.Batch batch = tracker.await(timeout, worker::isAlive)
        .withCpu(MachineLoad.since(mark, worker.handle()));
    if (!batch.done()) {
      System.out.println("   " + worker.name() + ": only " + batch.completed() + " of " + jobs + " jobs completed within "
          + timeout);
    }
    worker.rssBytes();
    return batch;
  }

  private double row(String scenario, String label, ChildWorker worker, List<JobRecords.Batch> batches) {
    return fold(scenario, label, worker, batches, 0, 0);
  }

  private double single(String scenario, String label, ChildWorker worker, String jobType, int jobs) throws Exception {
    long tokens = feishu.tokenFetches();
    long limited = feishu.rateLimitedAnswers();
    JobRecords.Batch batch = measure(worker, jobType, jobs);
    return fold(scenario, label, worker, List.of(batch), feishu.tokenFetches() - tokens,
        feishu.rateLimitedAnswers() - limited);
  }

  /** One row from several rounds: the median rate, percentiles over every job of every round. */
  private double fold(String scenario, String label, ChildWorker worker, List<JobRecords.Batch> batches, long tokens,
      long rateLimited) {
    double[] rates = batches.stream().mapToDouble(JobRecords.Batch::jobsPerSecond).sorted().toArray();
    double median = rates[rates.length / 2];
    long[] latencies = batches.stream().flatMapToLong(b -> Arrays.stream(b.latenciesMillis())).toArray();
    JobRecords.Batch all = new JobRecords.Batch(0, latencies.length, 0, 0, 0, 0, latencies, 0, 0, 0,
        MachineLoad.Use.NONE);
    double unfinished = batches.stream().mapToDouble(JobRecords.Batch::meanUnfinished).average().orElse(0);
    double otherCpu = batches.stream().mapToDouble(b -> b.cpu().othersShare()).average().orElse(0);
    int jobs = sum(batches, JobRecords.Batch::completed);
    int incidents = sum(batches, JobRecords.Batch::incidents);
    long workerCpu = batches.stream().mapToLong(b -> b.cpu().workerMillis()).sum();
    long engineCpu = batches.stream().mapToLong(b -> b.cpu().engineMillis()).sum();
    long compilerCpu = batches.stream().mapToLong(b -> b.cpu().compilerMillis()).sum();
    report.row(new Report.Row(scenario, label, jobs, median, all.latencyPercentile(50), all.latencyPercentile(99),
        tokens, rateLimited, incidents, unfinished, worker.heapUsedBytes(), worker.rssBytes(), perJob(workerCpu, jobs),
        perJob(engineCpu, jobs), share(compilerCpu, workerCpu + engineCpu), otherCpu));
    return median;
  }

  private static double share(long part, long whole) {
    return whole <= 0 ? 0 : part / (double) whole;
  }

  private static double perJob(long millis, int jobs) {
    return jobs == 0 ? 0 : millis / (double) jobs;
  }

  private static int sum(List<JobRecords.Batch> batches, ToLongFunction<JobRecords.Batch> value) {
    return (int) batches.stream().mapToLong(value).sum();
  }

  /**
   * Creates the instances as fast as the engine takes them, but keeps at most {@link #BACKLOG} of them unfinished when
   * a tracker is given: the embedded engine's in-memory state copies itself for every lookup, so a state swollen by
   * thousands of waiting instances would measure that copying instead of the workers.
   */
  private void createInstances(String processId, int count, JobRecords.Tracker tracker) throws InterruptedException {
    Semaphore open = new Semaphore(REQUESTS_OPEN);
    AtomicLong failed = new AtomicLong();
    long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
    for (int i = 0; i < count; i++) {
      while (tracker != null && i - tracker.settled() >= BACKLOG) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the jobs stopped completing");
        Thread.sleep(2);
      }
      if (!open.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("the engine stopped answering");
      create(processId, CREATE_ATTEMPTS, open, failed);
    }
    if (!open.tryAcquire(REQUESTS_OPEN, 60, TimeUnit.SECONDS)) throw new IllegalStateException("instances not created in time");
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " instances could not be created in " + CREATE_ATTEMPTS
          + " attempts each");
    }
  }

  /**
   * One instance, sent again when the engine refuses it for the moment (its backpressure on a busy machine), as a
   * client of a real cluster does; the slot in {@code open} comes back once the instance exists or the attempts ran out.
   */
  private void create(String processId, int attemptsLeft, Semaphore open, AtomicLong failed) {
    camunda.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion()
        .variables(Map.of("approvalTaskId", Long.toString(taskIds.incrementAndGet()), "userId", "1783981209205788",
            "opinion", "escalated: no review within 48 h"))
        .send()
        .whenComplete((created, failure) -> {
          if (failure == null) {
            open.release();
          } else if (attemptsLeft > 1) {
            CompletableFuture.delayedExecutor(200L * (CREATE_ATTEMPTS - attemptsLeft + 1), TimeUnit.MILLISECONDS)
                .execute(() -> create(processId, attemptsLeft - 1, open, failed));
          } else {
            failed.incrementAndGet();
            open.release();
          }
        });
  }

  private void deploy() {
    deploy(OURS, JobOperations.REJECT.jobType());
    deploy(CEILING, CeilingWorker.JOB_TYPE);
    deploy(HELD, CeilingWorker.HELD_JOB_TYPE);
    deploy(PEER, LarkSdkWorker.JOB_TYPE);
  }

  private void deploy(String worker, String jobType) {
    BpmnModelInstance model = Bpmn.createExecutableProcess(process(worker))
        .startEvent()
        .serviceTask("Work", task -> task.zeebeJobType(jobType))
        .endEvent()
        .done();
    camunda.newDeployResourceCommand().addProcessModel(model, process(worker) + ".bpmn").send().join();
  }

  private static String process(String worker) {
    return "benchmark-" + worker;
  }

  private ChildWorker start(String name, String mode, List<String> args) throws Exception {
    ChildWorker child = ChildWorker.reference(name, mode, args, LOGS);
    child.awaitReady(START_TIMEOUT);
    return child;
  }

  private List<String> common() {
    return List.of(
        "--camunda.client.grpc-address=" + EmbeddedEngine.grpcAddress(),
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none");
  }

  /** Our worker as shipped, pointed at the simulator; the client-side quota off unless the scenario sets one. */
  private List<String> oursArgs(int quotaCalls, Duration quotaWindow) {
    List<String> args = new ArrayList<>(common());
    args.addAll(List.of(
        "--feishu.app-id=" + FeishuSimulator.APP_ID,
        "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
        "--feishu.base-url=" + feishu.baseUrl(),
        "--feishu.rate-limit.calls=" + quotaCalls,
        "--feishu.rate-limit.window=" + quotaWindow.toMillis() + "ms"));
    args.addAll(words(WORKER_ARGS));
    return args;
  }

  /** The executable jar the package phase of {@link #COMMAND} has just built, as the benchmark profile names it. */
  private static Path jar() {
    String built = System.getProperty("worker.jar");
    if (built == null || built.isBlank() || !java.nio.file.Files.isRegularFile(Path.of(built))) {
      throw new IllegalStateException("no worker jar at " + built + ": run " + COMMAND);
    }
    return Path.of(built);
  }

  /** Whether scenario {@code n} runs: all do unless {@link #SCENARIOS} names some (5 always runs: it starts ours). */
  private static boolean selected(int n) {
    String only = System.getenv(SCENARIOS);
    return only == null || only.isBlank() || List.of(only.split("[,\\s]+")).contains(Integer.toString(n));
  }

  /** Whether this run measures the shipped defaults in full, the only kind of run that writes {@link #RESULTS}. */
  private static boolean canonical() {
    return List.of(SCENARIOS, JVM_OPTIONS, WORKER_ARGS).stream().map(System::getenv)
        .allMatch(value -> value == null || value.isBlank());
  }

  private static List<String> words(String variable) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  /** JVM options for our worker: none, as {@code java -jar} has them, unless {@link #JVM_OPTIONS} names some. */
  private static List<String> jvmOptions() {
    return words(JVM_OPTIONS);
  }

  /**
   * Startup is timed on a quiet machine: the build and the engine's own start leave the cores busy for a while.
   * Waits until both are at least 80% idle over a second, and never longer than 30 s.
   */
  private void awaitQuietMachine(String worker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double idle = 0;
    while (System.nanoTime() < deadline) {
      idle = MachineLoad.idleOverOneSecond();
      if (idle >= 0.8) break;
    }
    report.note(String.format(Locale.ROOT, "The cold start of %s began with the cores %.0f%% idle over the second "
        + "before.", worker, idle * 100));
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The reference workers do not read the worker application's configuration: they get the Camunda SDK's defaults
   * and only what is passed here.
   */
  private List<String> referenceCommon() {
    List<String> args = new ArrayList<>(common());
    args.add("--spring.config.name=benchmark-reference-worker");
    return args;
  }

  /** The same client settings as ours: 2 execution threads (the worker application's configuration), 128 jobs active. */
  private List<String> ceilingArgs() {
    List<String> args = new ArrayList<>(referenceCommon());
    args.add("--camunda.client.execution-threads=2");
    args.add("--benchmark.max-jobs-active=" + MAX_JOBS_ACTIVE);
    args.add("--benchmark.job-timeout=" + JOB_TIMEOUT.toSeconds() + "s");
    args.add("--benchmark.hold=" + SLOW_FEISHU.toMillis() + "ms");
    return args;
  }

  /** The Camunda Spring SDK's own defaults (1 execution thread, 32 jobs active, 5 min job timeout). */
  private List<String> peerArgs() {
    List<String> args = new ArrayList<>(referenceCommon());
    args.add("--benchmark.lark.base-url=" + feishu.baseUrl());
    args.add("--benchmark.lark.app-id=" + FeishuSimulator.APP_ID);
    args.add("--benchmark.lark.app-secret=" + FeishuSimulator.APP_SECRET);
    return args;
  }

  private void notes() {
    if (!jvmOptions().isEmpty()) {
      report.note("Our worker ran with the JVM options " + String.join(" ", jvmOptions()) + " (from " + JVM_OPTIONS
          + ").");
    }
    if (!words(WORKER_ARGS).isEmpty()) {
      report.note("Our worker ran with the further arguments " + String.join(" ", words(WORKER_ARGS)) + " (from "
          + WORKER_ARGS + ").");
    }
    report.note("One JVM runs Zeebe Process Test's embedded engine (gRPC on loopback) and the Feishu simulator; each "
        + "worker under test runs in a JVM of its own with no JVM options (scenario 6 excepted), so its heap (used, at the end of the row) "
        + "and RSS (VmRSS from /proc) are the worker's alone. Ours is `java -jar` on the jar the command builds and "
        + "reports its heap on its own Prometheus endpoint; the reference workers run from the test class path and "
        + "report theirs through the JVM's memory bean. All share the machine's cores.");
    report.note("jobs/s: jobs of a batch divided by the time from the first instance's creation to the last job's "
        + "completion, both as the engine's records stamp them. Instances are created as fast as the engine "
        + "accepts them, up to " + BACKLOG + " unfinished at a time, with as many create commands open, so that the "
        + "backlog stays full for every worker alike (the column 'unfinished instances, mean' shows it did; it counts "
        + "the instances the engine has created, not the create commands still waiting for it): the embedded engine "
        + "copies its in-memory state for every lookup, so its cost per job grows with the instances alive, and a "
        + "backlog that a worker's pace could thin out would measure the engine's state, not the worker. " + BACKLOG
        + " is more than the worker can take at once and few enough to keep that state small. Rows of scenarios 1 "
        + "and 2 take the median of " + ROUNDS + " batches of " + THROUGHPUT_JOBS
        + " jobs, our worker and the ceiling (and in scenarios 2 and 6 the holding ceiling) taking turns in an order that "
        + "turns by one place every round, after a warm-up that lasts until the JIT compilers are done (below).");
    report.note("Latency: a job's COMPLETED record minus the JobBatch ACTIVATED record that first handed it out.");
    report.note("CPU ms/job: the CPU time (user and system, from /proc) of the worker's process and of the "
        + "benchmark's JVM (the embedded engine and the simulator) while the row's batches ran, divided by their "
        + "jobs. Cold start rows include the worker's whole startup. JIT share: what the JIT compiler threads of both "
        + "took of that CPU; near 0 means the row measured compiled code.");
    report.note("Memory of the run: the embedded engine's record stream would keep every record it reads, and the "
        + "simulator every call, so that a run of some 100,000 jobs would leave the engine's JVM collecting garbage "
        + "more than running jobs; both are dropped once read"
        + (records.dropsRecords() ? "." : ", except the engine's records in this run (its list was out of reach)."));
    report.note("Others' CPU: the share of the machine's CPU time that processes other than the benchmark's JVM and "
        + "its workers (the build tool, anything else on the machine) used while the row ran; a row with more than "
        + "a few percent was disturbed.");
    report.note("Ceiling: a plain job worker on the same Camunda client settings (2 execution threads, "
        + MAX_JOBS_ACTIVE + " jobs active, the same variables fetched) that completes each job at once.");
    report.note("Ours: the worker application with its defaults, pointed at the simulator. Scenarios 1, 2, 4 and 5 "
        + "pass feishu.rate-limit.calls=0 (no client-side quota; the simulator enforces none there); scenario 3 "
        + "passes feishu.rate-limit.calls=" + QUOTA_CALLS + " and feishu.rate-limit.window=" + QUOTA_WINDOW.toSeconds()
        + "s to match the simulator's quota. management.server.port is set to a free port for the actuator.");
    report.note("Peer: a Spring @JobWorker with the Camunda SDK's defaults (1 execution thread, 32 jobs active) that "
        + "calls the official Lark Java SDK (com.larksuite.oapi:oapi-sdk) and blocks until Feishu answers.");
    report.note("Quota: the simulator admits " + QUOTA_CALLS + " calls per API in each fixed " + QUOTA_WINDOW.toSeconds()
        + " s window aligned to the epoch (Feishu's 100 per minute, scaled) and answers beyond it HTTP 429, code "
        + "99991400, with x-ogw-ratelimit-limit and x-ogw-ratelimit-reset. Achieved rate: the jobs after the first "
        + "window's worth, over the time from the first completion to the last.");
    report.note("Lean: scenario 6 starts our worker with the JVM options " + String.join(" ", LEAN_JVM_OPTIONS)
        + " from a cold start, then, after the same warm-up, runs the rounds of "
        + "scenario 2 beside a fresh ceiling.");
    report.note("Startup: from spawning our worker's JVM, with " + COLD_START_JOBS + " jobs already waiting, to the "
        + "engine's first JobBatch ACTIVATED record for it. Steady RSS: our worker process right after scenario 2.");
  }

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void quietLogs() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    // the embedded engine's batch-operation actor reads its in-memory state unsynchronised and logs each clash;
    // it does not take part in running jobs
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.camunda.zeebe.util.actor")).setLevel(Level.OFF);
  }
}
