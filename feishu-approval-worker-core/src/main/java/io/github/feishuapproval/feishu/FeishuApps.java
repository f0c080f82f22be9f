package io.github.feishuapproval.feishu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Feishu apps this worker acts as, by name; each has its own token cache and quota. */
public final class FeishuApps implements AutoCloseable {

  public static final String DEFAULT = "default";

  private final Map<String, FeishuClient> clients;

  public FeishuApps(Map<String, FeishuClient> clients) {
    if (!clients.containsKey(DEFAULT)) throw new IllegalArgumentException("the default app is missing");
    this.clients = new LinkedHashMap<>(clients);
  }

  public FeishuClient defaultApp() {
    return clients.get(DEFAULT);
  }

  public Optional<FeishuClient> named(String name) {
    return Optional.ofNullable(clients.get(name));
  }

  public Set<String> names() {
    return clients.keySet();
  }

  public Map<String, FeishuClient> all() {
    return Map.copyOf(clients);
  }

  @Override
  public void close() {
    clients.values().forEach(FeishuClient::close);
  }
}
