package com.example.escalation;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.client.api.response.ProcessInstanceEvent;
import io.camunda.zeebe.client.api.worker.JobWorker;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.extension.ZeebeProcessTest;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.FeishuTestWorkers;
import io.github.feishuapproval.testkit.ProcessWaits;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same process in a plain {@code @ZeebeProcessTest}, without Spring: the test kit runs the Feishu workers on the
 * engine Zeebe Process Test injects, and the test stands in for the application's own worker.
 */
@ZeebeProcessTest
class EscalationZeebeProcessTest {

  private ZeebeTestEngine engine;
  private ZeebeClient client;

  @Test
  void a2320001FromFeishuRoutesTheEscalationToTheOperator() throws Exception {
    try (FeishuSimulator feishu = new FeishuSimulator().start();
         CamundaClient camunda = FeishuTestWorkers.grpcClient(engine.getGatewayAddress());
         FeishuTestWorkers workers = FeishuTestWorkers.start(camunda, feishu);
         JobWorker operator = client.newWorker().jobType("notify-operator")
             .handler((jobs, job) -> jobs.newCompleteCommand(job.getKey()).send().join()).open()) {
      // the reject fails, so the flow's node never posts: no callback endpoint is needed here
      feishu.flowRuns().humanTask("expense_approval", "1783981209205999", URI.create("http://127.0.0.1:9/unused"),
          "unused-secret", "requestId");
      client.newDeployResourceCommand().addResourceFromClasspath("escalation.bpmn").send().join();
      ProcessInstanceEvent instance = client.newCreateInstanceCommand().bpmnProcessId("escalation-app-review")
          .latestVersion().variables(Map.of("namespace", "package_expense__c", "flowId", "expense_approval",
              "operatorUserId", "1783981209205788", "approverUserId", "1783981209205999", "requestId", "REQ-101"))
          .send().join();
      // the Feishu workers keep polling, so the engine never goes idle: wait for the instance instead
      ProcessWaits waits = ProcessWaits.on(engine);
      waits.untilActivated(instance.getProcessInstanceKey(), "WaitForDecision");
      String taskId = feishu.flowRuns().run("REQ-101").orElseThrow().taskId();
      // the task's first call is the reminder, answered normally; its second, the reject, gets 2320001
      feishu.script(taskId, Fault.normal(), Fault.code(2320001));

      engine.increaseTime(Duration.ofHours(48));
      waits.untilActivated(instance.getProcessInstanceKey(), "WaitAfterReminder");
      engine.increaseTime(Duration.ofHours(24));

      waits.untilEnded(instance.getProcessInstanceKey());
      BpmnAssert.assertThat(instance).hasPassedElement("RemindApprover").hasPassedElement("ParamInvalid")
          .hasPassedElement("NotifyOperator").isCompleted();
      assertThat(feishu).rejected(taskId).byUser("1783981209205788").withOpinion("超时自动拒绝");
    }
  }
}
