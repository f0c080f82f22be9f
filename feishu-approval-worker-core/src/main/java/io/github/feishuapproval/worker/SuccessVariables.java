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
}
