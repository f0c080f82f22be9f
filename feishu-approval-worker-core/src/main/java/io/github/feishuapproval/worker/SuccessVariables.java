package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.ApiRequest;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a job completes with when Feishu answered code 0. */
public sealed interface SuccessVariables {

  /**
   * @param request what was sent, for an answer that is read together with it; null where nothing was sent
   */
  Map<String, Object> variables(FeishuOutcome.Success success, Optional<String> resultVariable, ObjectMapper json,
      ApiRequest request);

  /** An action (reject, agree, ...): {@code {code, msg, logId}} under the result variable, if one is named. */
  record ActionResult() implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("code", s.code());
      result.put("msg", s.msg());
      result.put("logId", s.logId());
      return resultVariable.<Map<String, Object>>map(name -> Map.of(name, result)).orElse(Map.of());
    }
  }

  /** A query: one list from the answer's data, under the result variable or a default name, ready to iterate over. */
  record DataList(String field, String defaultVariable) implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      List<?> items = s.data().path(field).isArray() ? json.convertValue(s.data().path(field), List.class) : List.of();
      return Map.of(resultVariable.orElse(defaultVariable), items);
    }
  }

  /** One text from the answer's data (empty when absent), under the result variable or a default name. */
  record DataText(String field, String defaultVariable) implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      return Map.of(resultVariable.orElse(defaultVariable), s.data().path(field).asText(""));
    }
  }

  /**
   * A started flow: {@code {executionId, status, outParams, errorMsg, errorCode, idempotentKey, alreadyStarted,
   * logId}} under the result variable or a default name; the out params as an object when they are JSON.
   */
  record FlowExecution(String defaultVariable) implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      JsonNode data = s.data();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("executionId", text(data, "execution_id"));
      result.put("status", text(data, "status"));
      result.put("outParams", outParams(data.path("out_params"), json));
      result.put("errorMsg", text(data, "error_msg"));
      result.put("errorCode", text(data, "code"));
      result.put("idempotentKey", keyOf(request));
      result.put("alreadyStarted", false);
      result.put("logId", s.logId());
      return Map.of(resultVariable.orElse(defaultVariable), result);
    }

    /**
     * Feishu refused the key as used before, by a code the modeler named: an earlier attempt of this job started the
     * flow, whose execution id only that attempt's lost answer carried.
     */
    public Map<String, Object> alreadyStarted(FeishuOutcome.BusinessError e, Optional<String> resultVariable,
        ApiRequest request) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("executionId", null);
      result.put("status", null);
      result.put("outParams", null);
      result.put("errorMsg", e.msg());
      result.put("errorCode", Integer.toString(e.code()));
      result.put("idempotentKey", keyOf(request));
      result.put("alreadyStarted", true);
      result.put("logId", e.logId());
      return Map.of(resultVariable.orElse(defaultVariable), result);
    }

    private static String text(JsonNode data, String field) {
      JsonNode value = data.path(field);
      return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** Feishu answers the out params as a JSON string: parsed when it is JSON, else kept as the text it is. */
    private static Object outParams(JsonNode value, ObjectMapper json) {
      if (value.isMissingNode() || value.isNull()) return null;
      if (!value.isTextual()) return json.convertValue(value, Object.class);
      try {
        JsonNode parsed = json.readTree(value.textValue());
        return parsed == null || parsed.isMissingNode() ? value.textValue() : json.convertValue(parsed, Object.class);
      } catch (java.io.IOException notJson) {
        return value.textValue();
      }
    }

    private static Object keyOf(ApiRequest request) {
      return request == null ? null : request.body().get("idempotent_key");
    }
  }

  /** A created instance: {@code {instanceCode, uuid}} under the result variable or a default name. */
  record CreatedInstance(String defaultVariable) implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      Map<String, Object> instance = new LinkedHashMap<>();
      instance.put("instanceCode", s.data().path("instance_code").asText(""));
      instance.put("uuid", s.data().path("uuid").asText(""));
      return Map.of(resultVariable.orElse(defaultVariable), instance);
    }
  }

  /**
   * An instance's state: its status and its tasks, each with the ids a following task action needs, under the result
   * variable or a default name. Feishu's {@code form} and {@code timeline} are passed on as they come.
   */
  record InstanceDetail(String defaultVariable) implements SuccessVariables {
    private static final List<String> TASK_FIELDS =
        List.of("id", "user_id", "open_id", "status", "node_id", "node_name", "custom_node_id", "type");

    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json,
        ApiRequest request) {
      var data = s.data();
      Map<String, Object> instance = new LinkedHashMap<>();
      instance.put("instanceCode", data.path("instance_code").asText(""));
      instance.put("approvalCode", data.path("approval_code").asText(""));
      instance.put("status", data.path("status").asText(""));
      instance.put("uuid", data.path("uuid").asText(""));
      instance.put("userId", data.path("user_id").asText(""));
      instance.put("openId", data.path("open_id").asText(""));
      List<Map<String, Object>> tasks = new java.util.ArrayList<>();
      for (var task : data.path("task_list")) {
        Map<String, Object> entry = new LinkedHashMap<>();
        for (String field : TASK_FIELDS) entry.put(camel(field), task.path(field).asText(""));
        tasks.add(entry);
      }
      instance.put("tasks", tasks);
      instance.put("form", data.path("form").asText(""));
      instance.put("timeline", data.path("timeline").isArray()
          ? json.convertValue(data.path("timeline"), List.class) : List.of());
      return Map.of(resultVariable.orElse(defaultVariable), instance);
    }

    private static String camel(String snake) {
      StringBuilder name = new StringBuilder();
      boolean upper = false;
      for (char c : snake.toCharArray()) {
        if (c == '_') {
          upper = true;
        } else {
          name.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      return name.toString();
    }
  }
}
