package io.github.feishuapproval.process;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.FeishuTestWorkers;
import io.github.feishuapproval.testkit.ProcessWaits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test kit as a user's process test uses it: an engine of the user's own, our real workers on its client without
 * any Spring context, a Feishu scripted in one line and asserted on in one line.
 */
class TestKitProcessTest {

  private static ZeebeTestEngine engine;
  private static CamundaClient client;
  private static FeishuSimulator feishu;
  private static FeishuTestWorkers workers;
  private static ProcessWaits waits;

  @BeforeAll
  static void startEngineFeishuAndWorkers() {
    engine = EngineLogGuard.guard(EngineFactory.create());
    engine.start();
    client = FeishuTestWorkers.grpcClient(engine.getGatewayAddress());
    feishu = new FeishuSimulator().start();
    workers = FeishuTestWorkers.start(client, feishu);
    waits = ProcessWaits.on(engine);
    client.newDeployResourceCommand().addResourceFile(Path.of("bpmn", "feishu-approval-escalation.bpmn").toString())
        .send().join();
  }

  @AfterAll
  static void stopAll() {
    workers.close();
    client.close();
    engine.stop();
    feishu.close();
  }

  @Test
  void theEscalationTimerFiresAndTheTaskIsRejectedWithTheOpinionOfTheTemplate() {
    long instance = start("1785996266400001");
    waits.untilActivated(instance, "ReviewApproval");
    engine.increaseTime(Duration.ofHours(48));

    assertThat(waits.untilEnded(instance).endEvent()).contains("AutoRejected");
    assertThat(feishu).rejected("1785996266400001").byUser("1783981209205788").withOpinion("超时自动拒绝")
        .asApp(FeishuSimulator.APP_ID);
  }

  @Test
  void aScripted2320001RoutesTheEscalationToTheOperatorAndTheAssertionsSayWhatFeishuGot() {
    feishu.script("1785996266400002", Fault.code(2320001));
    long instance = start("1785996266400002");
    waits.untilActivated(instance, "ReviewApproval");
    engine.increaseTime(Duration.ofHours(48));

    // the assertion waits for the workers' call: no wait for the instance is needed first
    assertThat(feishu).rejected("1785996266400002").withOpinion("超时自动拒绝");
    waits.untilActivated(instance, "NotifyOperator");
    assertThat(feishu).receivedNoCallFor("1785996266400999");
    assertThatThrownBy(() -> assertThat(feishu).within(Duration.ofMillis(200)).agreed("1785996266400002"))
        .hasMessageContaining("agreed 1785996266400002 once, but it was asked 0 times");
    assertThatThrownBy(() -> assertThat(feishu).rejected("1785996266400002").byUser("42"))
        .hasMessageContaining("by user 42, but it was by 1783981209205788");
  }

  private static long start(String taskId) {
    return client.newCreateInstanceCommand().bpmnProcessId("feishu-approval-escalation").latestVersion()
        .variables(Map.of("approvalTaskId", taskId, "userId", "1783981209205788")).send().join()
        .getProcessInstanceKey();
  }
}
