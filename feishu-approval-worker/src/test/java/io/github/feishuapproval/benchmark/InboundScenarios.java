package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.testsupport.RedisServer;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What comes into the worker from Feishu, on one replica and on three sharing Redis: instances wait at a message
 * catch event, and what would end the wait is delivered to the worker as Feishu does it. Scenario 10: decisions
 * posted by aPaaS flows' HTTP nodes to the callback endpoint. Scenario 11: Feishu Approval's events, pushed signed
 * and encrypted to the event endpoint, and sent over the long connection. Each is timed from its send to the engine's record of the message correlated.
 */
final class InboundScenarios {

  /** What the benchmark lends these scenarios: starting our jar with an endpoint on {@code serverPort}. */
  interface Bench {
    ChildWorker startOurs(String name, List<String> extraArgs, int serverPort) throws Exception;

    int freePort() throws Exception;
  }

  /**
   * One way in: the message it becomes, the worker's settings for it, and, given the replicas' server ports, how one
   * message is sent to them once.
   */
  private record Way(String scenario, String message, List<String> args,
      Function<List<Integer>, CorrelationRounds.Sender> sendOnce) {}

  static final String CALLBACKS = "10. decision callbacks";
  static final String APPROVAL_EVENTS = "11. approval events, webhook";
  static final String APPROVAL_EVENTS_LONG = "11. approval events, long connection";
  private static final int WARM_UP = 300;
  private static final int MESSAGES = 1000;
  /** Sent and not yet answered at once, as many flows or approvals decided together would make. */
  private static final int SENDERS = 32;
  private static final int ATTEMPTS = 5;
  private static final Duration SEND_AGAIN_AFTER = Duration.ofSeconds(1);

  private final Bench bench;
  private final CamundaClient camunda;
  private final JobRecords records;
  private final Report report;
  private final FeishuSimulator feishu;
  private final String secret = randomSecret();
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http = HttpClient.newBuilder().executor(senders).connectTimeout(Duration.ofSeconds(5))
      .build();

  InboundScenarios(Bench bench, CamundaClient camunda, JobRecords records, Report report, FeishuSimulator feishu) {
    this.bench = bench;
    this.feishu = feishu;
    this.camunda = camunda;
    this.records = records;
    this.report = report;
  }

  /** Scenario 10. */
  void callbacks(RedisServer redis) throws Exception {
    Way way = new Way(CALLBACKS, FlowCallbackVerifier.DEFAULT_MESSAGE_NAME,
        List.of("--feishu.callback-secret=" + secret), overHttp("/feishu/callbacks/default", this::callback));
    double ratio = both(way, redis, "benchmark-decision");
    report.note(String.format(Locale.ROOT, "Scenario 10: %d callbacks a row after %d unmeasured, %d under way at once, "
        + "spread over the replicas in turn; each answered only once Camunda took its message, and one not answered 200 "
        + "sent again after 1 s. Latency runs from the callback's first send to the engine's record of the message "
        + "correlated. Three replicas on two cores with the "
        + "engine beside them reached %s of one replica's callbacks per second.", MESSAGES, WARM_UP, SENDERS,
        Benchmark.ratio(ratio)));
  }

  /**
   * Scenario 11: Feishu Approval's {@code approval_instance} events, pushed encrypted and signed to the webhook, and
   * sent as plain JSON over the long connection every replica opens to the simulator.
   */
  void approvalEvents(RedisServer redis) throws Exception {
    String token = randomSecret();
    String key = randomSecret();
    Way webhook = new Way(APPROVAL_EVENTS, ApprovalEventMessages.INSTANCE_MESSAGE,
        List.of("--feishu.verification-token=" + token, "--feishu.encrypt-key=" + key),
        overHttp("/feishu/events/default", (endpoint, uuid) -> approvalEvent(endpoint, uuid, token, key)));
    Way longConnection = new Way(APPROVAL_EVENTS_LONG, ApprovalEventMessages.INSTANCE_MESSAGE,
        List.of("--feishu.verification-token=" + token, "--feishu.events-delivery=long-connection"),
        ports -> overLongConnection(ports.size(), token));
    double webhookRatio = both(webhook, redis, "benchmark-approval-event");
    double longRatio = both(longConnection, redis, "benchmark-approval-event-long");
    report.note(String.format(Locale.ROOT, "Scenario 11: %d approval_instance events a row after %d unmeasured, %d "
        + "under way at once, keyed by the creation uuid and answered only once Camunda took its message; one not "
        + "answered 200 is sent again after 1 s (Feishu's 15 s shortened), and latency runs from the first send. The "
        + "webhook's pushes are encrypted and signed and spread over the replicas in turn, as a load balancer would; "
        + "over the long connection the simulator sends each event to one of the app's open connections at random and "
        + "waits for its acknowledgement, as Feishu does. Three replicas reached %s (webhook) and %s (long connection) "
        + "of one replica's events per second.", MESSAGES, WARM_UP, SENDERS, Benchmark.ratio(webhookRatio),
        Benchmark.ratio(longRatio)));
  }

  /** One send to the replicas' endpoints at {@code path}, in turn. */
  private Function<List<Integer>, CorrelationRounds.Sender> overHttp(String path,
      BiFunction<URI, String, HttpRequest> request) {
    return ports -> (index, key) -> http.sendAsync(request.apply(
            URI.create("http://127.0.0.1:" + ports.get(index % ports.size()) + path), key),
        HttpResponse.BodyHandlers.discarding()).thenApply(response -> response.statusCode() == 200);
  }

  /** One event sent by the simulator over the app's long connections, once all {@code replicas} are connected. */
  private CorrelationRounds.Sender overLongConnection(int replicas, String token) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (feishu.longConnections().openConnections(FeishuSimulator.APP_ID) < replicas) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replicas did not all open their long connection within 60 s");
      }
      sleep(Duration.ofMillis(50));
    }
    return (index, uuid) -> CompletableFuture.supplyAsync(() -> feishu.longConnections()
        .send(FeishuSimulator.APP_ID, approvalEventJson(uuid, token, Instant.now())) == 200, senders);
  }

  /** One replica, then three; the second's rate as a share of the first's. */
  private double both(Way way, RedisServer redis, String process) throws Exception {
    CorrelationRounds rounds = new CorrelationRounds(camunda, records, process, way.message());
    double one = replicas(way, rounds, 1, null);
    double three = replicas(way, rounds, 3, redis);
    return three / one;
  }

  private double replicas(Way way, CorrelationRounds rounds, int count, RedisServer redis) throws Exception {
    String label = count == 1 ? "1 replica, in-process store" : count + " replicas, shared store (Redis)";
    System.out.println("   " + way.scenario() + ", " + label);
    List<ChildWorker> replicas = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int port = bench.freePort();
        List<String> args = new ArrayList<>(way.args());
        // every instance waits before its message is sent: a message kept an hour would only fill the engine's
        // state, which it copies for every lookup, and slow all that comes after
        args.add("--feishu.callbacks.message-time-to-live=10s");
        if (redis != null) args.addAll(List.of("--feishu.store.type=redis", "--spring.data.redis.url=" + redis.url()));
        replicas.add(bench.startOurs("ours-inbound-" + way.scenario().substring(0, 2) + "-" + count + "-" + i, args,
            port));
        ports.add(port);
      }
      AtomicInteger sentAgain = new AtomicInteger();
      CorrelationRounds.Sender once = way.sendOnce().apply(ports);
      CorrelationRounds.Sender sender = (index, key) -> untilAccepted(once, index, key, 0, sentAgain);
      rounds.measure(WARM_UP, SENDERS, sender);
      sentAgain.set(0);
      CorrelationRounds.Round measured = rounds.measure(MESSAGES, SENDERS, sender);
      ChildWorker first = replicas.getFirst();
      report.row(new Report.Row(way.scenario(), label, MESSAGES, measured.perSecond(), measured.percentile(50),
          measured.percentile(99), 0, 0, measured.refused(), 0, first.heapUsedBytes(), first.rssBytes(), 0, 0, 0, 0));
      report.target(way.scenario() + ", " + label + ": correlated once each, in the end answered 200",
          measured.correlated() + " of " + MESSAGES + " correlated, " + measured.refused() + " never answered 200, "
              + sentAgain.get() + " sent again", MESSAGES + " of " + MESSAGES + ", 0",
          measured.correlated() == MESSAGES && measured.refused() == 0);
      return measured.perSecond();
    } finally {
      for (ChildWorker replica : replicas) replica.close();
    }
  }

  /**
   * Sends again what was not answered 200, as Feishu and a flow's HTTP node do, after {@link #SEND_AGAIN_AFTER} each
   * time (Feishu's 15 s shortened) and {@link #ATTEMPTS} times at the most.
   */
  private static CompletableFuture<Boolean> untilAccepted(CorrelationRounds.Sender once, int index, String key,
      int attempt, AtomicInteger sentAgain) {
    return once.send(index, key).exceptionally(failure -> false).thenCompose(accepted -> {
      if (accepted || attempt + 1 >= ATTEMPTS) return CompletableFuture.completedFuture(accepted);
      sentAgain.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(SEND_AGAIN_AFTER.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(waited -> untilAccepted(once, index, key, attempt + 1, sentAgain));
    });
  }

  private HttpRequest callback(URI endpoint, String key) {
    String body = "{\"correlationKey\":\"" + key + "\",\"messageId\":\"" + key + "/task\","
        + "\"variables\":{\"decision\":\"agree\",\"opinion\":\"ok\"}}";
    return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header(FlowCallbackVerifier.SECRET, secret)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** The instance {@code uuid} approved, as Feishu pushes it to the webhook. */
  private static HttpRequest approvalEvent(URI endpoint, String uuid, String token, String encryptKey) {
    Instant now = Instant.now();
    FeishuEventPushes.Push push = FeishuEventPushes.push(approvalEventJson(uuid, token, now), Optional.of(encryptKey),
        now);
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(push.bytes()));
    push.headers().forEach(request::header);
    return request.build();
  }

  /** The instance {@code uuid} approved: the event id is the envelope's own, the same for every send of it. */
  private static String approvalEventJson(String uuid, String token, Instant now) {
    return FeishuEventPushes.approvalEventV1("approval_instance", FeishuSimulator.APP_ID, token, uuid + "/event",
        Map.of("approval_code", "BENCHMARK-APPROVAL", "instance_code", "IC-" + uuid, "status", "APPROVED",
            "operate_time", Long.toString(now.toEpochMilli()), "uuid", uuid), now);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the long connections", e);
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
