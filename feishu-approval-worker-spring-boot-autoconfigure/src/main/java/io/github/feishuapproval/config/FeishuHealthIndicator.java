package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.FeishuApps;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Whether each Feishu app can obtain a tenant token, judged from the token cache: probes never call Feishu. Down only
 * when the last token fetch failed for a reason that will not go away by itself (wrong credentials, disabled app).
 * An app's long connection is shown as a detail and never makes it down: while it reconnects, Feishu gives the app's
 * events to another replica's connection or keeps them, and the replica's jobs go on.
 */
public final class FeishuHealthIndicator extends AbstractHealthIndicator {

  private final FeishuApps apps;
  private final FeishuLongConnections longConnections;

  public FeishuHealthIndicator(FeishuApps apps) {
    this(apps, null);
  }

  /** @param longConnections the apps' long connections, or null when no app uses one */
  public FeishuHealthIndicator(FeishuApps apps, FeishuLongConnections longConnections) {
    super("Feishu health check failed");
    this.apps = apps;
    this.longConnections = longConnections;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean down = false;
    Map<String, Object> details = new LinkedHashMap<>();
    Map<String, String> connections = longConnections == null ? Map.of() : longConnections.states();
    for (var entry : apps.all().entrySet()) {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("appId", entry.getValue().settings().appId());
      app.putAll(entry.getValue().tokenHealth());
      if (connections.containsKey(entry.getKey())) app.put("longConnection", connections.get(entry.getKey()));
      down |= entry.getValue().misconfigured();
      details.put(entry.getKey(), app);
    }
    (down ? builder.down() : builder.up()).withDetails(details);
  }
}
