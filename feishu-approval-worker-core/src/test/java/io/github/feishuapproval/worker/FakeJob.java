package io.github.feishuapproval.worker;

import io.camunda.client.api.response.ActivatedJob;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** An activated job as the gateway hands it out, any of whose getters can be made to throw. */
final class FakeJob {

  private static final AtomicLong KEYS = new AtomicLong(2251799813685249L);

  private final Map<String, Supplier<Object>> values = new HashMap<>();

  FakeJob(String type, String variables) {
    long key = KEYS.incrementAndGet();
    set("getKey", key);
    set("getType", type);
    set("getProcessInstanceKey", key + 1_000_000);
    set("getElementInstanceKey", key + 2_000_000);
    set("getElementId", "Reject");
    set("getBpmnProcessId", "process");
    set("getCustomHeaders", Map.of());
    set("getVariables", variables);
    set("getRetries", 3);
    set("getDeadline", System.currentTimeMillis() + 60_000);
    set("getTenantId", "<default>");
    set("getWorker", "test");
  }

  FakeJob set(String getter, Object value) {
    values.put(getter, () -> value);
    return this;
  }

  FakeJob breaking(String getter, RuntimeException failure) {
    values.put(getter, () -> {
      throw failure;
    });
    return this;
  }

  long key() {
    return (Long) values.get("getKey").get();
  }

  ActivatedJob job() {
    return (ActivatedJob) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ActivatedJob.class},
        (proxy, method, args) -> {
          Supplier<Object> value = values.get(method.getName());
          if (value == null) throw new UnsupportedOperationException(method.getName());
          return value.get();
        });
  }
}
