package io.github.feishuapproval.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One of the connector's element templates applied to a service task as the Modeler applies it: the task type, the
 * retries, the headers (hidden or filled in) and the inputs, the ones a modeller fills in taken from {@code inputs}.
 */
record ConnectorTemplate(JsonNode template) {

  static ConnectorTemplate of(String jobType) {
    try {
      return new ConnectorTemplate(new ObjectMapper().readTree(Files.readString(
          Path.of("element-templates", "connector", jobType + ".json"))));
    } catch (IOException e) {
      throw new IllegalStateException("the connector template of " + jobType + " cannot be read", e);
    }
  }

  /** The value of the property with this id, as the template gives it. */
  String value(String id) {
    for (JsonNode property : template.path("properties")) {
      if (property.path("id").asText().equals(id)) return property.path("value").asText();
    }
    throw new IllegalArgumentException("the template has no property " + id);
  }

  void applyTo(ServiceTaskBuilder task, Map<String, String> filledIn) {
    for (JsonNode property : template.path("properties")) {
      JsonNode binding = property.path("binding");
      String given = filledIn.get(property.path("id").asText());
      String value = given != null ? given : property.path("value").asText(null);
      if (value == null || value.isEmpty()) continue;
      switch (binding.path("type").asText()) {
        case "zeebe:taskDefinition" -> {
          if (binding.path("property").asText().equals("type")) task.zeebeJobType(value);
          else task.zeebeJobRetries(value);
        }
        case "zeebe:taskHeader" -> task.zeebeTaskHeader(binding.path("key").asText(), value);
        case "zeebe:input" -> task.zeebeInput(value, binding.path("name").asText());
        default -> throw new IllegalArgumentException("unknown binding " + binding);
      }
    }
  }
}
