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
}
