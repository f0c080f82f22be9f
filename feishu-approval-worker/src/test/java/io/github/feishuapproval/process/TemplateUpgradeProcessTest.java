package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeHeader;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskHeaders;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the diagrams that tools/modeler/upgrade.mjs made in the Modeler's own libraries: version 1 of each template
 * applied to a task and filled in, then updated to the current version. The worker must read what the modeler typed.
 * The ids and values are those of upgrade-plans.mjs.
 */
class TemplateUpgradeProcessTest extends ProcessTestSupport {

  /** Where this module's build wrote the upgraded diagrams (the modeler-upgrade step in its pom). */
  private static final Path UPGRADED = Path.of(System.getProperty("modeler.upgraded",
      "feishu-approval-worker/target/modeler-upgrade"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void theUpgradedDiagramsExist() {
    String skip = System.getProperty("modeler.skip");
    Assumptions.assumeTrue(skip == null || skip.equals("false"),
        "-Dmodeler.skip: the browser step that makes the upgraded diagrams did not run");
    if (!Files.isDirectory(UPGRADED)) {
      fail(UPGRADED + " is missing: the browser step makes it (npm run upgrade in tools/modeler; Maven runs it in "
          + "process-test-classes, before the tests)");
    }
  }

  @Test
  void rejectUpdatedFromVersion1SendsWhatTheModelerTyped() throws Exception {
    long instance = run("feishu-approval-reject", Map.of());

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265159101").getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/1785996265159101/reject");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"超时自动拒绝\"}");
    assertThat(PROBE.variable(instance, "rejectResult").orElseThrow()).contains("\"code\":0");
  }

  @Test
  void agreeUpdatedFromVersion1KeepsItsExpressionAndItsFeishuApp() throws Exception {
    long instance = run("feishu-approval-agree", Map.of("approval", Map.of("taskId", "1785996265159102")));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265159102").getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/1785996265159102/agree");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"同意\"}");
    assertThat(FEISHU.appIdOf(call.authorization())).isEqualTo(FeishuSimulator.SECOND_APP_ID);
    assertThat(PROBE.variable(instance, "agreeResult").orElseThrow()).contains("\"code\":0");
  }

  @Test
  void transferUpdatedFromVersion1SendsBothLists() throws Exception {
    long instance = run("feishu-approval-transfer", Map.of());

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265159103").getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/1785996265159103/transfer");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\","
        + "\"from_user_ids\":[\"1783981209205788\"],\"to_user_ids\":[\"1783981209205999\"],\"opinion\":\"出差期间转交\"}");
  }

  @Test
  void addAssigneeUpdatedFromVersion1KeepsTheChosenType() throws Exception {
    long instance = run("feishu-approval-add-assignee", Map.of());

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265159104").getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/1785996265159104/add_assignee");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\","
        + "\"approvers\":[\"1783981209205999\",\"1783981209205111\"],\"add_assignee_type\":\"afterAndAddAssign\","
        + "\"opinion\":\"请财务加签\"}");
  }

  @Test
  void cancelUpdatedFromVersion1SendsItsRequiredOpinion() throws Exception {
    long instance = run("feishu-approval-instance-cancel", Map.of());

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265159105").getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_instances/1785996265159105/cancel");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"申请有误，撤回\"}");
  }

  @Test
  void queryUpdatedFromVersion1SendsItsFiltersAndStoresTheTaskList() throws Exception {
    FEISHU.userTasks("1783981209259106", List.of(JSON.readTree("{\"task_id\":\"1785996265147395\"}")));
    long instance = run("feishu-user-task-query", Map.of());

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1783981209259106").getFirst();
    assertThat(call.body().toString()).isEqualTo("{\"kunlun_user_id\":\"1783981209259106\",\"type\":\"pending\","
        + "\"source\":\"assignMe\",\"limit\":\"20\",\"offset\":\"0\",\"api_ids\":[\"expense_approval\"]}");
    JsonNode tasks = JSON.readTree(PROBE.variable(instance, "pendingTasks").orElseThrow());
    assertThat(tasks).extracting(task -> task.path("task_id").asText()).containsExactly("1785996265147395");
  }

  /** Checks what the update kept outside the variables, deploys the diagram and starts it. */
  private long run(String jobType, Map<String, Object> variables) throws Exception {
    Path file = UPGRADED.resolve(jobType + ".bpmn");
    assertThat(file).as("made by the browser step").exists();
    ServiceTask task = Bpmn.readModelFromFile(file.toFile()).getModelElementById("FeishuTask");
    ZeebeTaskDefinition definition = task.getSingleExtensionElement(ZeebeTaskDefinition.class);
    assertThat(definition.getType()).isEqualTo(jobType);
    assertThat(definition.getRetries()).isEqualTo("5");
    Map<String, String> headers = task.getSingleExtensionElement(ZeebeTaskHeaders.class).getHeaders().stream()
        .collect(Collectors.toMap(ZeebeHeader::getKey, ZeebeHeader::getValue));
    assertThat(headers).containsEntry("elementTemplateVersion", "2").containsEntry("retryBackoff", "PT1S");

    camunda.newDeployResourceCommand().addResourceFile(file.toString()).send().join();
    return start("upgraded-" + jobType, variables);
  }
}
