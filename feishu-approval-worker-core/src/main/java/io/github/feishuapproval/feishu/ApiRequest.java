package io.github.feishuapproval.feishu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call to make: the operation, the ids that go into its path, the JSON body as plain values, and for a store app
 * the customer tenant it acts for.
 */
public record ApiRequest(FeishuOperation operation, Map<String, String> pathParams, Map<String, Object> body,
    Optional<String> tenantKey) {

  public ApiRequest {
    pathParams = Map.copyOf(pathParams);
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
  }

  /** A call of a self-built app, which acts for its own tenant. */
  public ApiRequest(FeishuOperation operation, Map<String, String> pathParams, Map<String, Object> body) {
    this(operation, pathParams, body, Optional.empty());
  }

  @Override
  public String toString() {
    return "ApiRequest[" + operation.name() + " " + pathParams + tenantKey.map(t -> " tenant " + t).orElse("") + "]";
  }
}
