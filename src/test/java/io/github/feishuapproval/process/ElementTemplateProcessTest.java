package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;
import io.github.feishuapproval.sandbox.FeishuSimulator;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Applies the element template's bindings to a service task, as Camunda Modeler does when a modeler picks the
 * template and fills its fields, and runs the result against the worker.
 */
class ElementTemplateProcessTest extends ProcessTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void templateFilledInAsAModelerWouldDrivesTheRealWorker() throws Exception {
    JsonNode template = JSON.readTree(new File("element-templates/feishu-approval-reject.json"));
    Map<String, String> entered = Map.of(
        "approvalTaskId", "=escalation.taskId",
        "userId", "1783981209205788",
        "opinion", "=\"超时自动拒绝\"",
        "resultVariable", "templateResult",
        "retries", "5",
        "retryBackoff", "PT1S");

    BpmnModelInstance model = Bpmn.createExecutableProcess("template-driven")
        .startEvent()
        .serviceTask("FromTemplate", task -> applyTemplate(template, entered, task))
        .endEvent("Done")
        .done();
    camunda.newDeployResourceCommand().addProcessModel(model, "template-driven.bpmn").send().join();

    long instance = start("template-driven", Map.of("escalation", Map.of("taskId", "1785996265147777")));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("1785996265147777").getFirst();
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"超时自动拒绝\"}");
    assertThat(PROBE.variable(instance, "templateResult").orElseThrow()).contains("\"code\":0");
  }

  @Test
  void everyTemplateBindsExactlyTheVariablesItsJobTypeReadsAndOnlyHeadersTheWorkerKnows() throws Exception {
    java.io.File[] files = new File("element-templates").listFiles((dir, name) -> name.endsWith(".json"));
    assertThat(files).hasSameSizeAs(io.github.feishuapproval.worker.JobOperations.ALL);
    for (File file : files) {
      JsonNode template = JSON.readTree(file);
      var inputs = new java.util.TreeSet<String>();
      var headers = new java.util.TreeSet<String>();
      String type = null;
      for (JsonNode property : template.path("properties")) {
        JsonNode binding = property.path("binding");
        switch (binding.path("type").asText()) {
          case "zeebe:input" -> inputs.add(binding.path("name").asText());
          case "zeebe:taskHeader" -> headers.add(binding.path("key").asText());
          case "zeebe:taskDefinition" -> {
            if (binding.path("property").asText().equals("type")) type = property.path("value").asText();
          }
          default -> { }
        }
      }
      String jobType = type;
      var operation = io.github.feishuapproval.worker.JobOperations.ALL.stream()
          .filter(o -> o.jobType().equals(jobType)).findFirst();
      assertThat(operation).as(file.getName() + " names a job type the worker serves").isPresent();
      assertThat(inputs).as(file.getName()).containsExactlyElementsOf(new java.util.TreeSet<>(operation.get().variableNames()));
      assertThat(headers).as(file.getName()).containsExactly("elementTemplateId", "elementTemplateVersion", "feishuApp",
          "resultVariable", "retryBackoff");
      assertThat(file.getName()).isEqualTo(jobType + ".json");
    }
  }

  /** What Camunda Modeler writes into the XML for each template property. */
  private static void applyTemplate(JsonNode template, Map<String, String> entered, ServiceTaskBuilder task) {
    for (JsonNode property : template.path("properties")) {
      String value = entered.getOrDefault(property.path("id").asText(), property.path("value").asText(null));
      if (value == null) continue;
      JsonNode binding = property.path("binding");
      switch (binding.path("type").asText()) {
        case "zeebe:taskDefinition" -> {
          if (binding.path("property").asText().equals("type")) task.zeebeJobType(value);
          else if (binding.path("property").asText().equals("retries")) task.zeebeJobRetries(value);
        }
        case "zeebe:input" -> task.zeebeInput(value, binding.path("name").asText());
        case "zeebe:taskHeader" -> task.zeebeTaskHeader(binding.path("key").asText(), value);
        default -> throw new AssertionError("binding the test does not know: " + binding);
      }
    }
  }
}
