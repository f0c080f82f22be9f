package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.sandbox.MessageRecords;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedFlowCallbacks;
import io.github.feishuapproval.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A flow's decision reaches Camunda exactly once: when the gateway is not there the callback is answered 503 and
 * nothing is remembered, so that the node's retry publishes once the gateway is back; and two replicas sharing one
 * Redis that both receive the same callback publish one message between them.
 */
class FlowCallbackDeliveryTest {

  private static final String SECRET = "callback-secret-reliability-3e7f";
  private static final String PROCESS = "flow-decision-reliability";

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) closeable.close();
  }

  @Test
  void aCallbackWhileTheGatewayIsAwayIsAnswered503AndTheRetryPublishesExactlyOnce() throws Exception {
    EngineOutage gateway = open(new EngineOutage());
    FeishuSimulator feishu = open(new FeishuSimulator().start());
    ConfigurableApplicationContext worker = open(worker(gateway, feishu, null));
    SimulatedFlowCallbacks node = SimulatedFlowCallbacks.to(callbackUrl(worker), SECRET);

    SimulatedFlowCallbacks.Delivery whileAway = node.retrying(1, Duration.ZERO)
        .decide("exec-outage", "exec-outage/task-1", Map.of("decision", "agree"));
    assertThat(whileAway.status()).isEqualTo(503);

    ZeebeTestEngine engine = gateway.start();
    long instance = waitingInstance(engine, "exec-outage");
    SimulatedFlowCallbacks.Delivery retried = node.retrying(120, Duration.ofMillis(250))
        .decide("exec-outage", "exec-outage/task-1", Map.of("decision", "agree"));

    assertThat(retried.status()).isEqualTo(200);
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Decided");
    assertThat(node.decide("exec-outage", "exec-outage/task-1", Map.of("decision", "agree")).status())
        .isEqualTo(200);
    assertThat(MessageRecords.publishCommands(engine, "exec-outage/task-1")).hasSize(1);
  }

  @Test
  void twoReplicasOnOneRedisReceivingTheSameCallbackPublishOneMessage() throws Exception {
    RedisServer redis = open(RedisServer.start());
    EngineOutage gateway = open(new EngineOutage());
    ZeebeTestEngine engine = gateway.start();
    FeishuSimulator feishu = open(new FeishuSimulator().start());
    ConfigurableApplicationContext first = open(worker(gateway, feishu, redis));
    ConfigurableApplicationContext second = open(worker(gateway, feishu, redis));
    long instance = waitingInstance(engine, "exec-replicas");
    List<SimulatedFlowCallbacks> nodes = List.of(SimulatedFlowCallbacks.to(callbackUrl(first), SECRET),
        SimulatedFlowCallbacks.to(callbackUrl(second), SECRET));

    // the same decision to both at once, as a node whose first attempt timed out and whose retry went elsewhere
    List<CompletableFuture<SimulatedFlowCallbacks.Delivery>> atOnce = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (SimulatedFlowCallbacks node : nodes) {
        atOnce.add(CompletableFuture.supplyAsync(() -> node.retrying(20, Duration.ofMillis(100))
            .decide("exec-replicas", "exec-replicas/task-1", Map.of("decision", "reject"))));
      }
    }

    assertThat(atOnce).allSatisfy(delivery -> assertThat(delivery.join().status()).isEqualTo(200));
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Decided");
    assertThat(MessageRecords.publishCommands(engine, "exec-replicas/task-1")).hasSize(1);
  }

  private long waitingInstance(ZeebeTestEngine engine, String execution) {
    try (ZeebeClient client = engine.createClient()) {
      client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(PROCESS).startEvent()
          .intermediateCatchEvent("DecisionArrived")
          .message(message -> message.name(FlowCallbackVerifier.DEFAULT_MESSAGE_NAME)
              .zeebeCorrelationKeyExpression("executionId"))
          .endEvent("Decided").done(), PROCESS + ".bpmn").send().join();
      long instance = client.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion()
          .variables(Map.of("executionId", execution)).send().join().getProcessInstanceKey();
      new EngineProbe(engine, Duration.ofSeconds(30)).awaitElementActivated(instance, "DecisionArrived");
      return instance;
    }
  }

  private static ConfigurableApplicationContext worker(EngineOutage gateway, FeishuSimulator feishu,
      RedisServer redis) {
    List<String> args = new ArrayList<>(List.of("--feishu.callback-secret=" + SECRET,
        "--feishu.callbacks.publish-timeout=2s"));
    if (redis != null) {
      args.addAll(List.of("--feishu.store.type=redis", "--feishu.store.timeout=1s",
          "--spring.data.redis.url=" + redis.url()));
    }
    return gateway.worker(feishu, args.toArray(String[]::new));
  }

  private static URI callbackUrl(ConfigurableApplicationContext worker) {
    return URI.create("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port")
        + "/feishu/callbacks/default");
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }
}
