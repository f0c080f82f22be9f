package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.worker.InputField;
import io.github.feishuapproval.worker.JobOperation;
import io.github.feishuapproval.worker.JobOperations;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
  void flowTemplateFilledInAsAModelerWouldStartsTheFlowOnce() throws Exception {
    JsonNode template = JSON.readTree(new File("element-templates/feishu-apaas-flow-execute.json"));
    Map<String, String> entered = Map.of(
        "namespace", "package_expense__c",
        "flowId", "=expense.flow",
        "operatorEmail", "apaas@example.com",
        // a FEEL-only field stores its = itself
        "params", "={amount: expense.amount, reason: \"差旅\"}",
        "isAsync", "true",
        "resultVariable", "started");

    BpmnModelInstance model = Bpmn.createExecutableProcess("template-driven-flow")
        .startEvent()
        .serviceTask("FromTemplate", task -> applyTemplate(template, entered, task))
        .endEvent("Done")
        .done();
    camunda.newDeployResourceCommand().addProcessModel(model, "template-driven-flow.bpmn").send().join();

    long instance = start("template-driven-flow", Map.of("expense", Map.of("flow", "expense_from_template",
        "amount", 1200)));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor("expense_from_template").getFirst();
    assertThat(call.body().path("params").textValue()).isEqualTo("{\"amount\":1200,\"reason\":\"差旅\"}");
    assertThat(call.body().path("is_async").booleanValue()).isTrue();
    assertThat(call.body().path("operator").textValue()).isEqualTo("{\"email\":\"apaas@example.com\"}");
    assertThat(JSON.readTree(PROBE.variable(instance, "started").orElseThrow()).path("status").asText())
        .isEqualTo("running");
  }

  @Test
  void everyTemplateBindsExactlyTheVariablesItsJobTypeReadsAndOnlyHeadersTheWorkerKnows() throws Exception {
    List<File> files = jobTemplates();
    assertThat(files).hasSameSizeAs(JobOperations.ALL);
    for (File file : files) {
      Bindings bindings = Bindings.of(JSON.readTree(file));
      var operation = operationFor(file, bindings);
      assertThat(bindings.inputs()).as(file.getName())
          .containsExactlyElementsOf(new TreeSet<>(operation.variableNames()));
      var headers = new TreeSet<>(java.util.List.of("elementTemplateId", "elementTemplateVersion", "feishuApp",
          "resultVariable", "retryBackoff"));
      // only a flow's start reads a header of its own: the codes that mean its idempotency key was used before
      if (operation == JobOperations.EXECUTE_FLOW) headers.add("alreadyStartedCodes");
      assertThat(bindings.headers().keySet()).as(file.getName()).containsExactlyElementsOf(headers);
      assertThat(file.getName()).isEqualTo(bindings.jobType() + ".json");
    }
  }

  @Test
  void everyEarlierVersionStillBindsOnlyVariablesItsJobTypeReadsAndNamesItsOwnVersion() throws Exception {
    File[] files = new File("element-templates/versioned").listFiles((dir, name) -> name.endsWith(".json"));
    assertThat(files).isNotEmpty();
    for (File file : files) {
      JsonNode template = JSON.readTree(file);
      Bindings bindings = Bindings.of(template);
      var operation = operationFor(file, bindings);
      // a diagram made with an earlier version must still run: all it binds is read, all that is required is bound
      assertThat(operation.variableNames()).as(file.getName()).containsAll(bindings.inputs());
      assertThat(bindings.inputs()).as(file.getName())
          .containsAll(operation.fields().stream().filter(InputField::required).map(InputField::variable).toList());
      assertThat(bindings.headers().keySet()).as(file.getName()).containsExactly("elementTemplateId",
          "elementTemplateVersion", "feishuApp", "resultVariable", "retryBackoff");
      String version = template.path("version").asText();
      assertThat(bindings.headers()).as(file.getName()).containsEntry("elementTemplateVersion", version);
      assertThat(file.getName()).isEqualTo(bindings.jobType() + "-" + version + ".json");
    }
  }

  @Test
  void theDecisionTemplatesWaitForTheMessageNameTheCallbackEndpointPublishesByDefault() throws Exception {
    File[] files = new File("element-templates").listFiles((dir, name) -> name.startsWith("feishu-apaas-decision-"));
    assertThat(files).hasSize(2);
    for (File file : files) {
      JsonNode name = null;
      for (JsonNode property : JSON.readTree(file).path("properties")) {
        if (property.path("binding").path("type").asText().equals("bpmn:Message#property")) name = property;
      }
      assertThat(name).as(file.getName()).isNotNull();
      assertThat(name.path("value").asText()).as(file.getName())
          .isEqualTo(io.github.feishuapproval.feishu.FlowCallbackVerifier.DEFAULT_MESSAGE_NAME);
    }
  }

  /** The templates of service tasks, each for a job type; the decision templates run no job. */
  private static List<File> jobTemplates() throws java.io.IOException {
    List<File> jobs = new java.util.ArrayList<>();
    for (File file : new File("element-templates").listFiles((dir, name) -> name.endsWith(".json"))) {
      if (JSON.readTree(file).path("elementType").path("value").asText().equals("bpmn:ServiceTask")) jobs.add(file);
    }
    return jobs;
  }

  private static JobOperation operationFor(File file, Bindings bindings) {
    var operation = JobOperations.ALL.stream()
        .filter(o -> o.jobType().equals(bindings.jobType())).findFirst();
    assertThat(operation).as(file.getName() + " names a job type the worker serves").isPresent();
    return operation.get();
  }

  /** The job type, the input variables and the task headers (with their default values) a template binds. */
  private record Bindings(String jobType, SortedSet<String> inputs, SortedMap<String, String> headers) {
    static Bindings of(JsonNode template) {
      var inputs = new TreeSet<String>();
      var headers = new TreeMap<String, String>();
      String type = null;
      for (JsonNode property : template.path("properties")) {
        JsonNode binding = property.path("binding");
        switch (binding.path("type").asText()) {
          case "zeebe:input" -> inputs.add(binding.path("name").asText());
          case "zeebe:taskHeader" -> headers.put(binding.path("key").asText(), property.path("value").asText(null));
          case "zeebe:taskDefinition" -> {
            if (binding.path("property").asText().equals("type")) type = property.path("value").asText();
          }
          default -> { }
        }
      }
      return new Bindings(type, inputs, headers);
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
