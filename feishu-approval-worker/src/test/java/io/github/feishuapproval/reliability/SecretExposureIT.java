package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker, logging everything at TRACE, driven through every outcome it has (success, BPMN errors,
 * each transient fault, rate limits, rejected and expired tokens, a failing token endpoint, a wrong secret,
 * configuration errors, bad input, jobs that time out and come back, shutdown), plus a run refused at startup. Neither
 * the app secret nor any tenant token Feishu issued may appear in anything it printed or in any record the engine
 * wrote: variables, incidents, job failures and BPMN error messages included.
 */
class SecretExposureIT {

  private static final AtomicLong TASK_IDS = new AtomicLong(1785996265500000L);

  private JarTestBed bed;
  private ZeebeTestEngine engine;
  private FeishuSimulator feishu;
  private CamundaClient client;
  private EngineProbe probe;

  @BeforeEach
  void startEngineAndFeishu() {
    bed = JarTestBed.start();
    engine = bed.engine();
    feishu = bed.feishu();
    client = bed.client();
    probe = bed.probe();
  }

  @AfterEach
  void stopEngineAndFeishu() {
    bed.close();
  }

  @Test
  void appSecretAndTenantTokensAppearInNoOutputAndNoEngineRecord() {
    List<String> outputs = new ArrayList<>();
    List<String> endings;
    try (WorkerProcess worker = WorkerProcess.start(bed.grpcAddress(), feishu, "--logging.level.root=TRACE",
        "--feishu.http.read-timeout=1s", "--feishu.http.call-timeout=2s", "--feishu.worker.job-timeout=10s")) {
      worker.awaitOutput("Taking jobs of type feishu-approval-reject", Duration.ofSeconds(90));
      endings = runEveryPath().stream().map(i -> probe.endingOf(i).orElseThrow().toString()).toList();
      worker.sigterm();
      worker.awaitExit(Duration.ofSeconds(30));
      outputs.add(worker.output());
    }
    try (WorkerProcess refused = WorkerProcess.start(bed.grpcAddress(), feishu, "--logging.level.root=TRACE",
        "--feishu.base-url=http://open.feishu.cn")) {
      assertThat(refused.awaitExit(Duration.ofSeconds(60))).as("exit code of a worker refused at startup").isNotZero();
      outputs.add(refused.output());
    }

    assertThat(String.join("\n", endings)).as("paths the run went through").contains("completed at TaskRejected",
        "completed at InvalidParameterHandled", "completed at OtherFeishuErrorHandled", "Bad input", "99991672",
        "10015");
    Set<String> tokens = feishu.issuedTokens();
    assertThat(tokens).as("tokens Feishu issued during the run").hasSizeGreaterThanOrEqualTo(3);
    assertThat(outputs.get(0)).as("the run logged at TRACE").contains(" TRACE ", "FeishuJobHandler");
    assertThat(outputs.get(1)).contains("FEISHU_BASE_URL");
    List<String> records = probe.allRecordsAsJson();
    for (String secret : secretsOf(tokens)) {
      for (String output : outputs) {
        assertThat(output.contains(secret)).as("output contains %s", secret.substring(0, 6) + "...").isFalse();
      }
      assertThat(records).as("engine records").noneMatch(record -> record.contains(secret));
    }
  }

  @Test
  void theRedisPasswordAppearsInNoOutputOverTlsWithTheRightPasswordOrAWrongOne() throws Exception {
    String password = "redis-secret-8d41f0c2";
    String wrong = "redis-wrong-secret-51c9";
    List<String> outputs = new ArrayList<>();
    try (RedisServer redis = RedisServer.start(password, true)) {
      try (WorkerProcess worker = WorkerProcess.start(bed.grpcAddress(), feishu, redisArguments(redis, redis.url()))) {
        worker.awaitOutput("Taking jobs of type feishu-approval-reject", Duration.ofSeconds(90));
        long instance = start(Map.of("approvalTaskId", Long.toString(TASK_IDS.incrementAndGet()), "userId", "7"));
        assertThat(probe.awaitEnding(instance).endEvent()).contains("TaskRejected");
        assertThat(redisKeys(redis)).as("keys the worker wrote into Redis over TLS")
            .anyMatch(k -> k.startsWith("feishu-approval-worker:quota:"));
        outputs.add(worker.output());
      }
      try (WorkerProcess worker = WorkerProcess.start(bed.grpcAddress(), feishu,
          redisArguments(redis, redis.url().replace(password, wrong)))) {
        worker.awaitOutput("Taking jobs of type feishu-approval-reject", Duration.ofSeconds(90));
        long instance = start(Map.of("approvalTaskId", Long.toString(TASK_IDS.incrementAndGet()), "userId", "7"));
        assertThat(probe.awaitJobFailures(instance, 1).getFirst().getErrorMessage()).contains("could not be reached");
        outputs.add(worker.output());
      }
    }
    assertThat(outputs.get(0)).contains(" TRACE ", "io.lettuce");
    List<String> records = probe.allRecordsAsJson();
    for (String secret : List.of(password, wrong)) {
      for (String output : outputs) {
        assertThat(output.contains(secret)).as("output contains %s", secret.substring(0, 9) + "...").isFalse();
      }
      assertThat(records).as("engine records").noneMatch(record -> record.contains(secret));
    }
  }

  @Test
  void aStoreAppsSecretsTicketsAndTokensAppearInNoOutput() throws Exception {
    String secret = "store-secret-for-exposure-7f2c";
    String verification = "verification-for-exposure-44d1";
    String encryptKey = "encrypt-key-for-exposure-9ab3";
    feishu.storeApp("cli_store_exposure01", secret, verification, encryptKey, "tenant-a");
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String output;
    try (WorkerProcess worker = WorkerProcess.start(bed.grpcAddress(), feishu, "--logging.level.root=TRACE",
        "--server.port=" + port, "--feishu.apps.isv.type=store", "--feishu.apps.isv.app-id=cli_store_exposure01",
        "--feishu.apps.isv.app-secret=" + secret, "--feishu.apps.isv.verification-token=" + verification,
        "--feishu.apps.isv.encrypt-key=" + encryptKey, "--feishu.camunda-tenants=<default>",
        "--feishu.apps.isv.camunda-tenants=<default>")) {
      worker.awaitOutput("Taking jobs of type feishu-approval-reject", Duration.ofSeconds(90));
      java.net.URI endpoint = java.net.URI.create("http://127.0.0.1:" + port + "/feishu/events/isv");
      feishu.storeAppEndpoint("cli_store_exposure01", endpoint);
      worker.awaitOutput("Received an app_ticket for store app isv", Duration.ofSeconds(30));
      // a forged push, and one with the wrong token, which the log must describe without their contents
      FeishuEventPushes.Push genuine = FeishuEventPushes.push(FeishuEventPushes.appTicketEventV1(
          "cli_store_exposure01", "ticket-from-a-forger", verification, "e-forged"), java.util.Optional.of(encryptKey),
          java.time.Instant.now());
      Map<String, String> forged = new HashMap<>(genuine.headers());
      forged.put(FeishuEventPushes.SIGNATURE, "f".repeat(64));
      assertThat(FeishuEventPushes.post(endpoint, new FeishuEventPushes.Push(genuine.body(), forged)).statusCode())
          .isEqualTo(401);
      long done = start(Map.of("approvalTaskId", Long.toString(TASK_IDS.incrementAndGet()), "userId", "7",
          "tenantKey", "tenant-a"), "isv");
      long unknown = start(Map.of("approvalTaskId", Long.toString(TASK_IDS.incrementAndGet()), "userId", "7",
          "tenantKey", "tenant-z"), "isv");
      assertThat(probe.awaitEnding(done).endEvent()).isPresent();
      assertThat(probe.awaitEnding(unknown).incident().orElseThrow()).contains("tenant-z");
      output = worker.output();
    }
    List<String> secrets = new ArrayList<>(List.of(secret, verification, encryptKey, "ticket-from-a-forger"));
    secrets.addAll(feishu.storeAppCredentials());
    List<String> records = probe.allRecordsAsJson();
    assertThat(output).contains(" TRACE ");
    for (String value : secrets) {
      assertThat(output.contains(value)).as("output contains %s", value.substring(0, 6) + "...").isFalse();
      assertThat(records).as("engine records").noneMatch(record -> record.contains(value));
    }
  }

  private static String[] redisArguments(RedisServer redis, String url) {
    // a window of 2 s: a Redis that started less than a window ago holds the quota for the rest of it
    return new String[] {"--logging.level.root=TRACE", "--feishu.store.type=redis", "--feishu.store.timeout=1s",
        "--feishu.rate-limit.window=2s",
        "--spring.data.redis.url=" + url, "--spring.data.redis.ssl.bundle=redis",
        "--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.caCertificate()};
  }

  /** What is in Redis, read over TLS by a client that trusts the server's CA, as the worker does. */
  private static List<String> redisKeys(RedisServer redis) {
    RedisClient client = RedisClient.create(redis.url());
    client.setOptions(ClientOptions.builder()
        .sslOptions(SslOptions.builder().trustManager(redis.caCertificate().toFile()).build()).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys("*");
    } finally {
      client.shutdown();
    }
  }

  /** Runs one instance per path, in three rounds so that token endpoint faults hit refreshes, not the first fetch. */
  private List<Long> runEveryPath() {
    List<Long> instances = new ArrayList<>(runRound(Map.of("success", List.of())));
    Map<String, List<Fault>> scripts = new LinkedHashMap<>();
    scripts.put("param invalid", List.of(Fault.paramInvalid()));
    scripts.put("user does not exist", List.of(Fault.code(404, 2320004, "user does not exist")));
    scripts.put("internal error, then success", List.of(Fault.internalError()));
    scripts.put("gateway page", List.of(Fault.badGateway()));
    scripts.put("not JSON", List.of(new Fault.RawHttp(200, "text/html", "<html>maintenance</html>")));
    scripts.put("empty body", List.of(new Fault.RawHttp(200, "application/json", "")));
    scripts.put("reset", List.of(Fault.disconnect()));
    scripts.put("half body", List.of(Fault.halfBody()));
    scripts.put("slow", List.of(Fault.slow(Duration.ofMillis(1500))));
    scripts.put("trickle", List.of(new Fault.Trickle(Duration.ofMillis(300))));
    scripts.put("rate limited", List.of(Fault.rateLimited(1)));
    scripts.put("missing scope", List.of(Fault.code(400, 99991672, "scope [app_engine:approval:write] required")));
    scripts.put("token rejected", List.of(Fault.code(400, 99991663, "Invalid access token")));
    scripts.put("token expired", List.of(Fault.expireToken()));
    scripts.put("token rejected twice", List.of(Fault.expireToken(), Fault.expireToken()));
    scripts.put("token endpoint failing", List.of(Fault.expireToken()));
    feishu.scriptTokenEndpoint(Fault.code(500, 10013, "get tenant access token failed"), Fault.disconnect(),
        Fault.rateLimited(1));
    instances.addAll(runRound(scripts));
    feishu.scriptTokenEndpoint(Fault.code(400, 10015, "app secret invalid"));
    instances.addAll(runRound(Map.of("wrong secret", List.of(Fault.expireToken()))));
    return instances;
  }

  private List<Long> runRound(Map<String, List<Fault>> scripts) {
    List<Long> instances = new ArrayList<>();
    for (List<Fault> faults : scripts.values()) {
      String task = Long.toString(TASK_IDS.incrementAndGet());
      feishu.script(task, faults.toArray(Fault[]::new));
      instances.add(start(Map.of("approvalTaskId", task, "userId", "1783981209205788", "opinion", "拒绝")));
    }
    Map<String, Object> bad = new HashMap<>();
    bad.put("approvalTaskId", "../auth/v3/tenant_access_token/internal");
    bad.put("userId", List.of(true));
    bad.put("opinion", "x".repeat(5000));
    instances.add(start(bad));
    driveUntilAllEnd(instances);
    return instances;
  }

  /** Moves engine time on until every instance has ended: retries, rate-limit waits and job timeouts pass. */
  private void driveUntilAllEnd(List<Long> instances) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!instances.stream().allMatch(i -> probe.endingOf(i).isPresent())) {
      assertThat(System.nanoTime()).as("every instance ended in time").isLessThan(deadline);
      pause(Duration.ofMillis(800));
      engine.increaseTime(Duration.ofSeconds(11));
    }
  }

  private long start(Map<String, Object> variables) {
    return client.newCreateInstanceCommand().bpmnProcessId("feishu-approval-reject-example").latestVersion()
        .variables(variables).send().join().getProcessInstanceKey();
  }

  /** An instance of a one-task process that acts as the Feishu app {@code app}. */
  private long start(Map<String, Object> variables, String app) {
    String processId = "exposure-" + app;
    client.newDeployResourceCommand().addProcessModel(io.camunda.zeebe.model.bpmn.Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Call", t -> t.zeebeJobType("feishu-approval-reject").zeebeTaskHeader("feishuApp", app))
        .endEvent("Done")
        .done(), processId + ".bpmn").send().join();
    return client.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion().variables(variables).send()
        .join().getProcessInstanceKey();
  }

  private static List<String> secretsOf(Set<String> tokens) {
    List<String> secrets = new ArrayList<>(tokens);
    secrets.add(FeishuSimulator.APP_SECRET);
    return secrets;
  }


  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
