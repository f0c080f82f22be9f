package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a job completes with when Feishu answered code 0. */
public sealed interface SuccessVariables {

  Map<String, Object> variables(FeishuOutcome.Success success, Optional<String> resultVariable, ObjectMapper json);

  /** An action (reject, agree, ...): {@code {code, msg, logId}} under the result variable, if one is named. */
  record ActionResult() implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json) {
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
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json) {
      List<?> items = s.data().path(field).isArray() ? json.convertValue(s.data().path(field), List.class) : List.of();
      return Map.of(resultVariable.orElse(defaultVariable), items);
    }
  }

  // Feishu Approval (审批 v4)

  /** A created instance: {@code {instanceCode, uuid}} under the result variable or a default name. */
  record CreatedInstance(String defaultVariable) implements SuccessVariables {
    @Override
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json) {
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
    public Map<String, Object> variables(FeishuOutcome.Success s, Optional<String> resultVariable, ObjectMapper json) {
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
