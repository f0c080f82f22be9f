package io.github.feishuapproval.feishu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call to make: the operation, the ids that go into its path, the JSON body as plain values, for a store app the
 * customer tenant it acts for, and the query parameters (such as {@code user_id_type}).
 */
public record ApiRequest(FeishuOperation operation, Map<String, String> pathParams, Map<String, Object> body,
    Optional<String> tenantKey, Map<String, String> query) {

  public ApiRequest {
    pathParams = Map.copyOf(pathParams);
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
  }

  /** A call without query parameters. */
  public ApiRequest(FeishuOperation operation, Map<String, String> pathParams, Map<String, Object> body,
      Optional<String> tenantKey) {
    this(operation, pathParams, body, tenantKey, Map.of());
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
