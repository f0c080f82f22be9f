package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.intent.MessageIntent;
import io.camunda.zeebe.protocol.record.value.MessageRecordValue;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An Approval event pushed while the Camunda gateway is away is answered non-200, so nothing is remembered and
 * Feishu pushes it again; once the gateway is back, a retry publishes it, exactly once.
 */
class ApprovalEventDeliveryTest {

  private static final String TOKEN = "verification-token-event-outage-5a0c";
  private static final String KEY = "encrypt-key-event-outage-c93e";
  private static final String PROCESS = "approval-event-outage";

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) closeable.close();
  }

  @Test
  void anEventPushedWhileTheGatewayIsAwayIsRefusedAndPublishedOnceOnFeishusRetry() throws Exception {
    int gatewayPort = freePort();
    FeishuSimulator feishu = open(new FeishuSimulator().start());
    ConfigurableApplicationContext worker = open(worker(gatewayPort, feishu));
    SimulatedApprovalEvents events = feishu.approvalEvents();
    events.target(FeishuSimulator.APP_ID, new SimulatedApprovalEvents.Target(eventUrl(worker), TOKEN,
        Optional.of(KEY)));
    events.retryDelays(Collections.nCopies(240, Duration.ofMillis(250)).toArray(Duration[]::new));

    String eventId = events.push(FeishuSimulator.APP_ID, "approval_instance", Map.of("approval_code", "AC-OUT",
        "instance_code", "IC-OUT", "status", "APPROVED", "operate_time", "1716174311566", "uuid", "create-outage"));
    for (int waited = 0; events.delivery(eventId).answers().isEmpty() && waited < 600; waited++) Thread.sleep(50);
    assertThat(events.delivery(eventId).answers().getFirst()).isNotEqualTo(200);

    ZeebeTestEngine engine = EngineLogGuard.guard(EngineFactory.create(gatewayPort));
    engine.start();
    opened.add(engine::stop);
    long instance = waitingInstance(engine, "create-outage");
    assertThat(events.awaitSettled(Duration.ofSeconds(60))).isTrue();

    assertThat(events.delivery(eventId).acknowledged()).isTrue();
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Approved");
    events.pushAgain(eventId);
    assertThat(events.awaitSettled(Duration.ofSeconds(10))).isTrue();
    assertThat(events.delivery(eventId).answers().getLast()).isEqualTo(200);
    // a publish the engine took after the worker had stopped waiting is refused on the retry by its message id
    assertThat(published(engine, eventId)).isEqualTo(1);
  }

  /** How many messages of this id the engine took: publish commands it did not reject. */
  private static long published(ZeebeTestEngine engine, String messageId) {
    List<String> intents = new ArrayList<>();
    for (Record<MessageRecordValue> record : RecordStream.of(engine.getRecordStreamSource()).messageRecords()) {
      if (messageId.equals(record.getValue().getMessageId())) {
        intents.add(record.getRecordType() + " " + record.getIntent());
      }
    }
    return intents.stream().filter(i -> i.equals(RecordType.EVENT + " " + MessageIntent.PUBLISHED)).count();
  }

  private long waitingInstance(ZeebeTestEngine engine, String creationUuid) {
    try (ZeebeClient client = engine.createClient()) {
      client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(PROCESS).startEvent()
          .intermediateCatchEvent("InstanceChanged")
          .message(message -> message.name(ApprovalEventMessages.INSTANCE_MESSAGE)
              .zeebeCorrelationKeyExpression("creationUuid"))
          .endEvent("Approved").done(), PROCESS + ".bpmn").send().join();
      return client.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion()
          .variables(Map.of("creationUuid", creationUuid)).send().join().getProcessInstanceKey();
    }
  }

  private static ConfigurableApplicationContext worker(int gatewayPort, FeishuSimulator feishu) {
    return new SpringApplicationBuilder(FeishuApprovalWorkerApplication.class).run(
        "--server.port=0",
        "--management.server.port=0",
        "--camunda.client.grpc-address=http://127.0.0.1:" + gatewayPort,
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none",
        "--feishu.app-id=" + FeishuSimulator.APP_ID,
        "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
        "--feishu.base-url=" + feishu.baseUrl(),
        "--feishu.verification-token=" + TOKEN,
        "--feishu.encrypt-key=" + KEY,
        "--spring.main.keep-alive=false");
  }

  private static URI eventUrl(ConfigurableApplicationContext worker) {
    return URI.create("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port")
        + "/feishu/events/default");
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
