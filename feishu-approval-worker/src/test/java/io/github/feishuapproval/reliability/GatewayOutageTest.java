package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Camunda gateway is not there when the worker starts, then comes, then goes away for a while and comes back
 * (an engine restarted on the same port). The worker must start anyway, keep trying, and take jobs each time the
 * gateway is back, without being restarted itself.
 */
class GatewayOutageTest {

  private static final Duration OUTAGE = Duration.ofMillis(1500);

  @Test
  void workerStartsWithoutAGatewayAndResumesByItselfAfterTheGatewayWasLost() throws Exception {
    int port = freePort();
    try (FeishuSimulator feishu = new FeishuSimulator().start();
         ConfigurableApplicationContext worker = startWorker(port, feishu)) {
      assertThat(worker.isRunning()).isTrue();
      Thread.sleep(OUTAGE.toMillis());

      runOneRejectOnAnEngineAt(port, "1785996265300001", feishu);
      Thread.sleep(OUTAGE.toMillis());
      runOneRejectOnAnEngineAt(port, "1785996265300002", feishu);

      assertThat(feishu.calls()).extracting(FeishuSimulator.Call::taskId)
          .containsExactly("1785996265300001", "1785996265300002");
    }
  }

  private static void runOneRejectOnAnEngineAt(int port, String task, FeishuSimulator feishu) {
    ZeebeTestEngine engine = EngineLogGuard.guard(EngineFactory.create(port));
    engine.start();
    try (ZeebeClient client = engine.createClient()) {
      client.newDeployResourceCommand().addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
          .send().join();
      long instance = client.newCreateInstanceCommand().bpmnProcessId("feishu-approval-reject-example").latestVersion()
          .variables(Map.of("approvalTaskId", task, "userId", "1783981209205788")).send().join()
          .getProcessInstanceKey();

      assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent())
          .contains("TaskRejected");
      assertThat(feishu.callsFor(task)).hasSize(1);
    } finally {
      engine.stop();
    }
  }

  private static ConfigurableApplicationContext startWorker(int port, FeishuSimulator feishu) {
    return new SpringApplicationBuilder(FeishuApprovalWorkerApplication.class).run(
        "--camunda.client.grpc-address=http://127.0.0.1:" + port,
        "--camunda.client.prefer-rest-over-grpc=false",
        "--feishu.app-id=" + FeishuSimulator.APP_ID,
        "--feishu.app-secret=" + FeishuSimulator.APP_SECRET,
        "--feishu.base-url=" + feishu.baseUrl(),
        "--spring.main.keep-alive=false");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
