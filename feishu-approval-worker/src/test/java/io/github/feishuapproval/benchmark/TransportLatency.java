package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import io.github.feishuapproval.worker.JobOperations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Scenario 7: how long after a job is handed out its command reaches the gateway, over gRPC on the embedded engine and
 * over REST against the gateway stand-in, with every job type of the worker long-polling. Jobs come one at a time at a
 * steady pace, so that the figure is the command's own path and not a queue of jobs.
 */
final class TransportLatency {

  static final String SCENARIO = "7. command latency by transport, jobs one at a time";
  private static final int JOBS = 500;
  private static final Duration PACE = Duration.ofMillis(20);

  /** Latencies in milliseconds of the jobs of one run, and the worker that ran them. */
  record Run(long[] millis, ChildWorker worker) {
    long percentile(double p) {
      long[] sorted = millis.clone();
      Arrays.sort(sorted);
      int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted.length == 0 ? -1 : sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
  }

  private final CamundaClient camunda;
  private final JobRecords records;
  private final AtomicLong taskIds = new AtomicLong(1785996266000000L);

  TransportLatency(CamundaClient camunda, JobRecords records) {
    this.camunda = camunda;
    this.records = records;
  }

  /** Over gRPC: the engine's own timestamps, from the job's activation to its completion. */
  Run grpc(ChildWorker ours, String processId) throws Exception {
    grpcRound(ours, processId);
    return new Run(grpcRound(ours, processId), ours);
  }

  private long[] grpcRound(ChildWorker ours, String processId) throws Exception {
    JobRecords.Tracker tracker = records.track(processId, JobOperations.REJECT.jobType(), JOBS);
    for (int i = 0; i < JOBS; i++) {
      camunda.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion()
          .variables(Map.of("approvalTaskId", Long.toString(taskIds.incrementAndGet()), "userId", "1783981209205788"))
          .send();
      Thread.sleep(PACE.toMillis());
    }
    return tracker.await(Duration.ofSeconds(60), ours::isAlive).latenciesMillis();
  }

  /**
   * Over REST: our jar with the README's self-managed settings (a REST and a gRPC address, Camunda's default of
   * preferring REST) against the stand-in, which times each command from the answer that handed its job out.
   */
  Run rest(Path jar, FeishuSimulator feishu, int managementPort, Path logs) throws Exception {
    try (RestJobGateway gateway = new RestJobGateway().start()) {
      List<String> args = List.of(
          "--camunda.client.mode=self-managed",
          "--camunda.client.rest-address=" + gateway.restAddress(),
          "--camunda.client.grpc-address=http://127.0.0.1:1",
          "--feishu.app-id=" + FeishuSimulator.APP_ID,
          "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
          "--feishu.base-url=" + feishu.baseUrl(),
          "--feishu.rate-limit.calls=0");
      ChildWorker worker = ChildWorker.fromJar("ours-rest", jar, List.of(), args, managementPort, logs);
      worker.awaitReady(Duration.ofSeconds(90));
      Set<String> types = JobOperations.ALL.stream().map(o -> o.jobType()).collect(Collectors.toSet());
      gateway.awaitPolling(types, Duration.ofSeconds(60));
      restRound(gateway);
      return new Run(restRound(gateway), worker);
    }
  }

  private long[] restRound(RestJobGateway gateway) throws InterruptedException {
    List<Long> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(gateway.createJob(JobOperations.REJECT.jobType(),
          Map.of("approvalTaskId", Long.toString(taskIds.incrementAndGet()), "userId", "1783981209205788"), Map.of()));
      Thread.sleep(PACE.toMillis());
    }
    long[] millis = new long[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      millis[i] = gateway.awaitCommand(jobs.get(i), Duration.ofSeconds(60)).sinceActivationNanos() / 1_000_000;
    }
    return millis;
  }

  static String describe(Run grpc, Run rest) {
    return String.format(Locale.ROOT, "Scenario 7: after a warm-up round of the same size, %d jobs one every %d ms; gRPC p50 %d ms, p99 %d ms (the engine's "
        + "records, activation to completion); REST p50 %d ms, p99 %d ms (the stand-in, the answer that handed the job "
        + "out to the command's arrival), all %d job types long-polling with the gateway's default request timeout.",
        JOBS, PACE.toMillis(), grpc.percentile(50), grpc.percentile(99), rest.percentile(50), rest.percentile(99),
        JobOperations.ALL.size());
  }

  static int jobs() {
    return JOBS;
  }
}
