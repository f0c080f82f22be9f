package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas of the real worker, each an application of its own in this JVM, sharing one embedded engine, one Feishu
 * simulator and one real Redis: what one replica did is known to the next, and Redis going away and coming back loses
 * nothing and risks no double action.
 */
class SharedStoreTest {

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(15);
  private static final String PROCESS = "feishu-approval-reject-example";
  private static final AtomicLong TASKS = new AtomicLong(1785996266200000L);

  private static ZeebeTestEngine engine;
  private static FeishuSimulator feishu;
  private static RedisServer redis;
  private static EngineProbe probe;
  private static CamundaClient client;
  private static final LostCompletions LOST = new LostCompletions();

  private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

  @BeforeAll
  static void startEverything() {
    redis = RedisServer.start();
    engine = EngineLogGuard.guard(EngineFactory.create());
    engine.start();
    feishu = new FeishuSimulator().start();
    probe = new EngineProbe(engine, Duration.ofSeconds(30));
    client = CamundaClient.newClientBuilder().grpcAddress(URI.create(grpcAddress())).preferRestOverGrpc(false).build();
    client.newDeployResourceCommand().addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
        .send().join();
  }

  @AfterAll
  static void stopEverything() {
    if (client != null) client.close();
    if (engine != null) engine.stop();
    if (feishu != null) feishu.close();
    if (redis != null) redis.close();
  }

  @AfterEach
  void stopReplicas() {
    redis.startAgain();
    replicas.forEach(ConfigurableApplicationContext::close);
    LOST.clear();
    feishu.reset();
  }

  @Test
  void aJobWhoseCompletionWasLostOnOneReplicaIsCompletedByAnotherWithoutASecondCall() {
    String task = nextTask();
    LOST.lose(task, 1);
    ConfigurableApplicationContext first = replica();
    long instance = start(task);
    probe.await(() -> LOST.lostJobKeys().isEmpty() ? Optional.empty() : Optional.of(true), "the lost completion");
    assertThat(feishu.callsFor(task)).hasSize(1);
    // the first replica dies; its memory in this process dies with it
    first.close();

    replica();
    engine.increaseTime(JOB_TIMEOUT.plusSeconds(1));

    assertThat(probe.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(probe.jobTimeouts(instance)).hasSize(1);
    assertThat(feishu.callsFor(task)).hasSize(1);
  }

  @Test
  void theBackoffGoesOnDoublingWhenAJobFailsAgainOnAnotherReplica() {
    String task = nextTask();
    feishu.script(task, Fault.internalError(), Fault.internalError());
    ConfigurableApplicationContext first = replica();
    long instance = start(task);
    probe.awaitJobFailures(instance, 1);
    first.close();

    replica();
    engine.increaseTime(Duration.ofSeconds(11));
    List<JobRecordValue> failures = probe.awaitJobFailures(instance, 2);
    engine.increaseTime(Duration.ofSeconds(21));

    assertThat(failures).extracting(JobRecordValue::getRetryBackoff).containsExactly(10_000L, 20_000L);
    assertThat(probe.awaitEnding(instance).endEvent()).contains("TaskRejected");
  }

  @Test
  void whileRedisIsAwayJobsWaitWithoutSpendingRetriesAndNothingIsLostOrCalledTwiceOrOverTheQuota() throws Exception {
    feishu.quota(5, Duration.ofSeconds(2));
    ConfigurableApplicationContext replica = replica();
    HealthIndicator store = replica.getBean("feishuStoreHealthIndicator", HealthIndicator.class);
    List<String> tasks = new ArrayList<>();
    List<Long> instances = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(nextTask());
      instances.add(start(tasks.getLast()));
    }
    for (long instance : instances.subList(0, 5)) probe.awaitEnding(instance);

    redis.stop();
    for (int i = 0; i < 5; i++) {
      tasks.add(nextTask());
      instances.add(start(tasks.getLast()));
    }
    for (long instance : instances.subList(5, 10)) {
      JobRecordValue handedBack = probe.awaitJobFailures(instance, 1).getFirst();
      assertThat(handedBack.getRetries()).isEqualTo(3);
      assertThat(handedBack.getErrorMessage()).contains("could not be reached", "nothing was sent to Feishu", "without spending a retry");
    }
    assertThat(store.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(feishu.calls()).as("429s: %d", feishu.rateLimitedAnswers()).extracting(FeishuSimulator.Call::taskId)
        .containsExactlyInAnyOrderElementsOf(tasks.subList(0, 5));

    // Redis comes back empty: it has forgotten the slots of the window before it went away
    redis.startAgain();
    for (long instance : instances) {
      assertThat(probe.awaitEnding(instance).endEvent()).as("instance %d", instance).contains("TaskRejected");
    }
    assertThat(store.health().getStatus()).isEqualTo(Status.UP);
    MeterRegistry meters = replica.getBean(MeterRegistry.class);
    assertThat(meters.find("feishu.store.calls").tags("operation", "memory_read", "outcome", "ok").timer())
        .isNotNull();
    // the claim is the first call a job makes to the store, so it is the one that met the outage
    assertThat(meters.find("feishu.store.calls").tag("operation", "memory_claim").timers())
        .anySatisfy(t -> assertThat(t.getId().getTag("outcome")).isIn("timeout", "failed"));
    assertThat(feishu.rateLimitedAnswers()).isZero();
    assertThat(feishu.actionsCarriedOut()).hasSize(10).allSatisfy((action, times) -> assertThat(times).isEqualTo(1));
  }

  private ConfigurableApplicationContext replica() {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(FeishuApprovalWorkerApplication.class)
        .web(WebApplicationType.NONE)
        .initializers(c -> c.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
          @Override
          public Object postProcessAfterInitialization(Object bean, String beanName) {
            return bean instanceof CamundaClient camunda ? LOST.decorate(camunda) : bean;
          }
        }))
        .run("--camunda.client.grpc-address=" + grpcAddress(),
            "--camunda.client.prefer-rest-over-grpc=false",
            "--camunda.client.auth.method=none",
            "--feishu.app-id=" + FeishuSimulator.APP_ID,
            "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
            "--feishu.base-url=" + feishu.baseUrl(),
            "--feishu.store.type=redis",
            "--feishu.store.timeout=1s",
            "--feishu.store.retry-wait=1s",
            "--spring.data.redis.url=" + redis.url(),
            "--feishu.rate-limit.calls=5",
            "--feishu.rate-limit.window=2s",
            "--feishu.http.connect-timeout=1s",
            "--feishu.http.read-timeout=2s",
            "--feishu.http.call-timeout=2s",
            "--feishu.worker.job-timeout=" + JOB_TIMEOUT.toSeconds() + "s",
            "--feishu.worker.shutdown-grace=" + JOB_TIMEOUT.toSeconds() + "s");
    replicas.add(context);
    return context;
  }

  private static long start(String task) {
    return client.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion()
        .variables(Map.of("approvalTaskId", task, "userId", "1783981209205788")).send().join().getProcessInstanceKey();
  }

  private static String nextTask() {
    return Long.toString(TASKS.incrementAndGet());
  }

  private static String grpcAddress() {
    String address = engine.getGatewayAddress();
    return "http://127.0.0.1:" + address.substring(address.lastIndexOf(':') + 1);
  }
}
