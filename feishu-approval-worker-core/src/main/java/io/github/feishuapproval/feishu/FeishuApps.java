package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Feishu apps this worker acts as, by name; each has its own token cache and quota. */
public final class FeishuApps implements AutoCloseable {

  public static final String DEFAULT = "default";

  private final Map<String, FeishuClient> clients;

  FeishuApps(Map<String, FeishuClient> clients) {
    if (!clients.containsKey(DEFAULT)) throw new IllegalArgumentException("the default app is missing");
    this.clients = new LinkedHashMap<>(clients);
  }

  /**
   * A client for each app, by name ({@link #DEFAULT} among them), all counting their calls in {@code quotas} and
   * keeping store apps' tickets in {@code tickets}.
   */
  public static FeishuApps of(Map<String, FeishuSettings> settings, ObjectMapper json, Clock clock,
      FeishuEvents events, QuotaStore quotas, TicketStore tickets) {
    Map<String, FeishuClient> clients = new LinkedHashMap<>();
    settings.forEach((name, app) -> clients.put(name, new FeishuClient(name, app, json, clock, events, quotas,
        tickets)));
    return new FeishuApps(clients);
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
