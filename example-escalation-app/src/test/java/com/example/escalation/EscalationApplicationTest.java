package com.example.escalation;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application, its own job worker and the Feishu job workers of the starter side by side, on an embedded
 * Zeebe Process Test engine, against the test kit's Feishu.
 */
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EscalationApplicationTest {

  static final ZeebeTestEngine ENGINE = startEngine();
  static final FeishuSimulator FEISHU = new FeishuSimulator().start();

  @Autowired CamundaClient camunda;
  @Autowired OperatorNotifications notifications;

  @DynamicPropertySource
  static void engineAndFeishu(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", () -> "http://" + ENGINE.getGatewayAddress());
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("camunda.client.auth.method", () -> "none");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.base-url", () -> FEISHU.baseUrl().toString());
  }

  @AfterAll
  static void stopEngineAndFeishu() {
    ENGINE.stop();
    FEISHU.close();
  }

  @Test
  void afterFortyEightHoursWithoutAReviewTheApprovalTaskIsRejectedInFeishu() {
    long instance = start("1785996267000001");
    awaitElement(instance, "Review", ProcessInstanceIntent.ELEMENT_ACTIVATED);

    ENGINE.increaseTime(Duration.ofHours(48));

    awaitElement(instance, "AutoRejected", ProcessInstanceIntent.ELEMENT_COMPLETED);
    assertThat(FEISHU).rejected("1785996267000001").byUser("1783981209205788").withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).noneMatch(n -> n.approvalTaskId().equals("1785996267000001"));
  }

  @Test
  void aRejectFeishuRefusesWith2320001GoesToTheOperatorThroughTheApplicationsOwnWorker() {
    FEISHU.script("1785996267000002", Fault.code(2320001));
    long instance = start("1785996267000002");
    awaitElement(instance, "Review", ProcessInstanceIntent.ELEMENT_ACTIVATED);

    ENGINE.increaseTime(Duration.ofHours(48));

    awaitElement(instance, "OperatorNotified", ProcessInstanceIntent.ELEMENT_COMPLETED);
    assertThat(FEISHU).rejected("1785996267000002").withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).anySatisfy(notice -> {
      assertThat(notice.approvalTaskId()).isEqualTo("1785996267000002");
      assertThat(notice.feishuErrorCode()).isEqualTo(2320001);
      assertThat(notice.feishuLogId()).isNotBlank();
    });
  }

  private long start(String approvalTaskId) {
    return camunda.newCreateInstanceCommand().bpmnProcessId("escalation-app-review").latestVersion()
        .variables(Map.of("approvalTaskId", approvalTaskId, "userId", "1783981209205788")).send().join()
        .getProcessInstanceKey();
  }

  private static void awaitElement(long instance, String elementId, ProcessInstanceIntent intent) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> StreamSupport.stream(
            RecordStream.of(ENGINE.getRecordStreamSource()).processInstanceRecords().spliterator(), false)
        .anyMatch(r -> r.getValue().getProcessInstanceKey() == instance && r.getValue().getElementId().equals(elementId)
            && r.getIntent() == intent));
  }

  private static ZeebeTestEngine startEngine() {
    ZeebeTestEngine engine = EngineFactory.create();
    engine.start();
    return engine;
  }
}
