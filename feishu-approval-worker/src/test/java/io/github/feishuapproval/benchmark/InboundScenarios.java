package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessMessageSubscriptionIntent;
import io.camunda.zeebe.protocol.record.value.ProcessMessageSubscriptionRecordValue;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.testsupport.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 10, decisions coming back from aPaaS flows: instances wait at a message catch event, and callbacks are
 * posted to the worker's callback endpoint as a flow's HTTP node would, on one replica and on three sharing Redis.
 * The time from a callback's send to the engine's record of the message correlated, and callbacks per second.
 */
final class CallbackScenarios {

  /** What the benchmark lends this scenario: starting our jar with an endpoint on {@code serverPort}. */
  interface Bench {
    ChildWorker startOurs(String name, List<String> extraArgs, int serverPort) throws Exception;

    int freePort() throws Exception;
  }

  static final String SCENARIO = "10. decision callbacks";
  private static final String PROCESS = "benchmark-decision";
  private static final String MESSAGE = FlowCallbackVerifier.DEFAULT_MESSAGE_NAME;
  private static final int WARM_UP = 300;
  private static final int CALLBACKS = 1000;
  /** Callbacks under way at once, as many flows whose decisions come together would send. */
  private static final int SENDERS = 32;
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  private final Bench bench;
  private final CamundaClient camunda;
  private final JobRecords records;
  private final Report report;
  private final String secret = randomSecret();
  private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
      .connectTimeout(Duration.ofSeconds(5)).build();
  private int round;

  CallbackScenarios(Bench bench, CamundaClient camunda, JobRecords records, Report report) {
    this.bench = bench;
    this.camunda = camunda;
    this.records = records;
    this.report = report;
  }

  void run(RedisServer redis) throws Exception {
    camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(PROCESS)
        .startEvent()
        .intermediateCatchEvent("Decision", event -> event.message(m -> m.name(MESSAGE)
            .zeebeCorrelationKeyExpression("requestId")))
        .endEvent()
        .done(), PROCESS + ".bpmn").send().join();
    double[] rates = new double[2];
    rates[0] = replicas(1, null);
    rates[1] = replicas(3, redis);
    report.note(String.format(Locale.ROOT, "Scenario 10: %d callbacks a row after %d unmeasured, %d under way at once, "
        + "spread over the replicas in turn; each answered only once Camunda took its message. Latency runs from the "
        + "callback's send to the engine's record of the message correlated. Three replicas on two cores with the "
        + "engine beside them reached %s of one replica's callbacks per second.", CALLBACKS, WARM_UP, SENDERS,
        Benchmark.ratio(rates[1] / rates[0])));
  }

  private double replicas(int count, RedisServer redis) throws Exception {
    String label = count == 1 ? "1 replica, in-process store" : count + " replicas, shared store (Redis)";
    System.out.println("   " + label);
    List<ChildWorker> replicas = new ArrayList<>();
    List<URI> endpoints = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int port = bench.freePort();
        List<String> args = new ArrayList<>(List.of("--feishu.callback-secret=" + secret));
        if (redis != null) args.addAll(List.of("--feishu.store.type=redis", "--spring.data.redis.url=" + redis.url()));
        replicas.add(bench.startOurs("ours-callbacks-" + count + "-" + i, args, port));
        endpoints.add(URI.create("http://127.0.0.1:" + port + "/feishu/callbacks/default"));
      }
      measure(endpoints, WARM_UP);
      Round measured = measure(endpoints, CALLBACKS);
      ChildWorker first = replicas.getFirst();
      report.row(new Report.Row(SCENARIO, label, CALLBACKS, measured.perSecond(), measured.percentile(50),
          measured.percentile(99), 0, 0, measured.refused(), 0, first.heapUsedBytes(), first.rssBytes(), 0, 0, 0, 0));
      report.target("10. decision callbacks, " + label + ": correlated once each, answered 200",
          measured.correlated() + " of " + CALLBACKS + " correlated, " + measured.refused() + " not answered 200",
          CALLBACKS + " of " + CALLBACKS + ", 0", measured.correlated() == CALLBACKS && measured.refused() == 0);
      return measured.perSecond();
    } finally {
      for (ChildWorker replica : replicas) replica.close();
    }
  }

  /** What one round of callbacks came to. */
  record Round(long[] latencies, double perSecond, int correlated, int refused) {
    long percentile(double p) {
      if (latencies.length == 0) return -1;
      long[] sorted = latencies.clone();
      java.util.Arrays.sort(sorted);
      return sorted[Math.max(0, Math.min((int) Math.ceil(p / 100.0 * sorted.length) - 1, sorted.length - 1))];
    }
  }

  private Round measure(List<URI> endpoints, int callbacks) throws Exception {
    String prefix = "r" + (++round) + "-";
    Map<String, Long> subscribed = new ConcurrentHashMap<>();
    Map<String, Long> correlated = new ConcurrentHashMap<>();
    JobRecords.Watcher watcher = record -> {
      if (record.getRecordType() != RecordType.EVENT
          || record.getValueType() != ValueType.PROCESS_MESSAGE_SUBSCRIPTION) {
        return;
      }
      String key = ((ProcessMessageSubscriptionRecordValue) record.getValue()).getCorrelationKey();
      if (key == null || !key.startsWith(prefix)) return;
      if (record.getIntent() == ProcessMessageSubscriptionIntent.CREATED) subscribed.put(key, record.getTimestamp());
      if (record.getIntent() == ProcessMessageSubscriptionIntent.CORRELATED) {
        correlated.put(key, record.getTimestamp());
      }
    };
    records.watch(watcher);
    try {
      createWaiting(prefix, callbacks);
      await(() -> subscribed.size() >= callbacks, "subscriptions");

      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      AtomicInteger refused = new AtomicInteger();
      Semaphore underWay = new Semaphore(SENDERS);
      List<CompletableFuture<Void>> answers = new ArrayList<>();
      long firstSent = System.currentTimeMillis();
      for (int i = 0; i < callbacks; i++) {
        String key = prefix + i;
        underWay.acquire();
        sentAt.put(key, System.currentTimeMillis());
        answers.add(http.sendAsync(callback(endpoints.get(i % endpoints.size()), key),
                HttpResponse.BodyHandlers.discarding())
            .handle((response, failure) -> {
              if (failure != null || response.statusCode() != 200) refused.incrementAndGet();
              underWay.release();
              return null;
            }));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      await(() -> correlated.size() >= callbacks - refused.get(), "correlations");

      long[] latencies = correlated.entrySet().stream()
          .mapToLong(e -> e.getValue() - sentAt.getOrDefault(e.getKey(), e.getValue())).toArray();
      long last = correlated.values().stream().mapToLong(Long::longValue).max().orElse(firstSent);
      double perSecond = last <= firstSent ? 0 : correlated.size() * 1000.0 / (last - firstSent);
      return new Round(latencies, perSecond, correlated.size(), refused.get());
    } finally {
      records.unwatch(watcher);
    }
  }

  private void createWaiting(String prefix, int count) {
    List<CompletableFuture<?>> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      created.add(camunda.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion()
          .variables(Map.of("requestId", prefix + i)).send().toCompletableFuture());
      if (created.size() == 200) {
        CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
        created.clear();
      }
    }
    CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
  }

  private HttpRequest callback(URI endpoint, String key) {
    String body = "{\"correlationKey\":\"" + key + "\",\"messageId\":\"" + key + "/task\","
        + "\"variables\":{\"decision\":\"agree\",\"opinion\":\"ok\"}}";
    return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header(FlowCallbackVerifier.SECRET, secret)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      records.poll();
      if (done.getAsBoolean()) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("no " + what + " within " + TIMEOUT);
      Thread.sleep(20);
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
