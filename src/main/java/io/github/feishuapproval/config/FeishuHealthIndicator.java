package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuOutcome;
import io.github.feishuapproval.feishu.TenantTokenProvider;
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
      TenantTokenProvider.TokenState state = entry.getValue().tokens().state();
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("appId", entry.getValue().settings().appId());
      if (state.cached()) {
        app.put("token", "cached until " + state.refreshAt());
      } else if (state.lastFailure() != null) {
        app.put("token", "last fetch failed at " + state.lastFailureAt() + ": " + describe(state.lastFailure()));
        down |= state.lastFailure() instanceof FeishuOutcome.ConfigurationError;
      } else {
        app.put("token", "not fetched yet");
      }
      details.put(entry.getKey(), app);
    }
    (down ? builder.down() : builder.up()).withDetails(details);
  }

  private static String describe(FeishuOutcome outcome) {
    return switch (outcome) {
      case FeishuOutcome.ConfigurationError c -> "code " + c.code() + " (" + c.msg() + "): " + c.remedy();
      case FeishuOutcome.Transient t -> t.reason();
      case FeishuOutcome.RateLimited r -> r.reason();
      case FeishuOutcome.BusinessError b -> "code " + b.code() + " (" + b.msg() + ")";
      case FeishuOutcome.NotSent n -> n.reason();
      case FeishuOutcome.Success s -> "no failure";
    };
  }
}
