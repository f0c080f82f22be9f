package io.github.feishuapproval.reliability;

import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.intent.MessageIntent;
import io.camunda.zeebe.protocol.record.value.MessageRecordValue;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Camunda gateway that is away until a test brings it: the port workers are pointed at from the start, and an
 * embedded engine started on it when the test says, stopped on close.
 */
final class EngineOutage implements AutoCloseable {

  private final int gatewayPort = freePort();
  private ZeebeTestEngine engine;

  /** The address for {@code camunda.client.grpc-address}. */
  String grpcAddress() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  /** The gateway comes (back). */
  ZeebeTestEngine start() {
    engine = EngineLogGuard.guard(EngineFactory.create(gatewayPort));
    engine.start();
    return engine;
  }

  /** The standalone worker on this gateway and the simulated Feishu, with the settings given as arguments. */
  ConfigurableApplicationContext worker(FeishuSimulator feishu, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--management.server.port=0",
        "--camunda.client.grpc-address=" + grpcAddress(),
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none",
        "--feishu.app-id=" + FeishuSimulator.APP_ID,
        "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
        "--feishu.base-url=" + feishu.baseUrl(),
        "--spring.main.keep-alive=false"));
    args.addAll(Arrays.asList(more));
    return new SpringApplicationBuilder(FeishuApprovalWorkerApplication.class).run(args.toArray(String[]::new));
  }

  /** A process instance that waits for the instance message keyed by {@code creationUuid}. */
  long waitingInstance(String processId, String creationUuid) {
    try (ZeebeClient client = engine.createClient()) {
      client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(processId).startEvent()
          .intermediateCatchEvent("InstanceChanged")
          .message(message -> message.name(ApprovalEventMessages.INSTANCE_MESSAGE)
              .zeebeCorrelationKeyExpression("creationUuid"))
          .endEvent("Approved").done(), processId + ".bpmn").send().join();
      return client.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion()
          .variables(Map.of("creationUuid", creationUuid)).send().join().getProcessInstanceKey();
    }
  }

  /** How many messages of this id the engine took: publish commands it did not reject. */
  long published(String messageId) {
    List<String> intents = new ArrayList<>();
    for (Record<MessageRecordValue> record : RecordStream.of(engine.getRecordStreamSource()).messageRecords()) {
      if (messageId.equals(record.getValue().getMessageId())) {
        intents.add(record.getRecordType() + " " + record.getIntent());
      }
    }
    return intents.stream().filter(i -> i.equals(RecordType.EVENT + " " + MessageIntent.PUBLISHED)).count();
  }

  @Override
  public void close() {
    if (engine != null) engine.stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the gateway", e);
    }
  }
}
