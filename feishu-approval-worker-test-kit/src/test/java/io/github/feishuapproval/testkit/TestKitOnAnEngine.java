package io.github.feishuapproval.testkit;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** An embedded engine with the example processes deployed and the test kit's workers polling it, as a user has them. */
abstract class TestKitOnAnEngine {

  static final String USER = "1783981209205788";
  private static final AtomicLong TASK_IDS = new AtomicLong(1_785_996_268_000_000L);

  static ZeebeTestEngine engine;
  static CamundaClient client;
  static FeishuSimulator feishu;
  static FeishuTestWorkers workers;

  @BeforeAll
  static void startEngineFeishuAndWorkers() {
    engine = EngineFactory.create();
    engine.start();
    client = FeishuTestWorkers.grpcClient(engine.getGatewayAddress());
    feishu = new FeishuSimulator().start();
    workers = FeishuTestWorkers.start(client, feishu);
    client.newDeployResourceCommand()
        .addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
        .addResourceFile(Path.of("bpmn", "feishu-approval-escalation.bpmn").toString())
        .send().join();
  }

  @AfterAll
  static void stopAll() {
    workers.close();
    client.close();
    engine.stop();
    feishu.close();
  }

  static String newTaskId() {
    return Long.toString(TASK_IDS.incrementAndGet());
  }

  static long start(String bpmnProcessId, Map<String, Object> variables) {
    return client.newCreateInstanceCommand().bpmnProcessId(bpmnProcessId).latestVersion().variables(variables)
        .send().join().getProcessInstanceKey();
  }
}
