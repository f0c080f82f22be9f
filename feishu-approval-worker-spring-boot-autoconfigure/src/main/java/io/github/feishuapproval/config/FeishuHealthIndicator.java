package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.FeishuApps;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Whether each Feishu app can obtain a tenant token, judged from the token cache: probes never call Feishu. Down only
 * when the last token fetch failed for a reason that will not go away by itself (wrong credentials, disabled app).
 */
public final class FeishuHealthIndicator extends AbstractHealthIndicator {

  private final FeishuApps apps;

  public FeishuHealthIndicator(FeishuApps apps) {
    super("Feishu health check failed");
    this.apps = apps;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean down = false;
    Map<String, Object> details = new LinkedHashMap<>();
    for (var entry : apps.all().entrySet()) {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("appId", entry.getValue().settings().appId());
      app.putAll(entry.getValue().tokenHealth());
      down |= entry.getValue().misconfigured();
      details.put(entry.getKey(), app);
    }
    (down ? builder.down() : builder.up()).withDetails(details);
  }
}
