package io.github.feishuapproval.feishu;

import java.util.Map;

/** One call to make: the operation, the ids that go into its path, and the JSON body as plain values. */
public record ApiRequest(FeishuOperation operation, Map<String, String> pathParams, Map<String, Object> body) {

  public ApiRequest {
    pathParams = Map.copyOf(pathParams);
    body = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(body));
  }

  @Override
  public String toString() {
    return "ApiRequest[" + operation.name() + " " + pathParams + "]";
  }
}
