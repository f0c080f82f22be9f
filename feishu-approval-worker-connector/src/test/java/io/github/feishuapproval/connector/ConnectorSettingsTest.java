package io.github.feishuapproval.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

  @Test
  void unsetSettingsTakeTheWorkersDefaults() {
    ConnectorSettings settings = ConnectorSettings.from(name -> null);

    assertThat(settings.baseUrl()).hasToString("https://open.feishu.cn");
    assertThat(settings.quotaCalls()).isEqualTo(100);
    assertThat(settings.quotaWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.maxRetryBackoff()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void durationsAreReadInTheWorkersFormsAndAsIso8601() {
    Map<String, String> environment = Map.of("FEISHU_HTTP_CALL_TIMEOUT", "500ms", "FEISHU_RATE_LIMIT_WINDOW", "2m",
        "FEISHU_MAX_QUOTA_WAIT", "PT20S", "FEISHU_RATE_LIMIT_CALLS", "50");

    ConnectorSettings settings = ConnectorSettings.from(environment::get);

    assertThat(settings.callTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.quotaWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.maxQuotaWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.quotaCalls()).isEqualTo(50);
  }

  @Test
  void anUnusableSettingIsNamedWithoutItsValue() {
    assertThatThrownBy(() -> ConnectorSettings.from(Map.of("FEISHU_HTTP_READ_TIMEOUT", "soon-ish")::get))
        .hasMessageContaining("FEISHU_HTTP_READ_TIMEOUT")
        .hasMessageNotContaining("soon-ish");
  }

  @Test
  void theQuotaIsCountedInTheReplicaUnlessTheStoreIsRedis() {
    assertThat(ConnectorSettings.from(name -> null).redis()).isEmpty();

    ConnectorSettings settings = ConnectorSettings.from(Map.of(ConnectorSettings.STORE_TYPE, "redis",
        ConnectorSettings.REDIS_URL, "rediss://redis.internal:6380/2")::get);

    assertThat(settings.redis()).hasValueSatisfying(redis -> {
      assertThat(redis.server()).isEqualTo("rediss://redis.internal:6380");
      assertThat(redis.keyPrefix()).isEqualTo("feishu-approval-worker");
      assertThat(redis.timeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(redis.password()).isEmpty();
    });
  }

  @Test
  void theRedisPasswordIsInNoSettingsTextAndABadRedisUrlIsNamedWithoutItsValue() {
    ConnectorSettings settings = ConnectorSettings.from(Map.of(ConnectorSettings.STORE_TYPE, "redis",
        ConnectorSettings.REDIS_URL, "redis://worker:url-pw@redis:6379",
        ConnectorSettings.REDIS_PASSWORD, "env-pw")::get);

    assertThat(settings.redis().orElseThrow().password()).contains("env-pw");
    assertThat(settings.toString()).contains("redis://redis:6379").doesNotContain("env-pw", "url-pw", "worker:");
    assertThatThrownBy(() -> ConnectorSettings.from(Map.of(ConnectorSettings.STORE_TYPE, "redis",
        ConnectorSettings.REDIS_URL, "http://:url-pw@redis")::get))
        .hasMessageContaining(ConnectorSettings.REDIS_URL).hasMessageNotContaining("url-pw");
    assertThatThrownBy(() -> ConnectorSettings.from(Map.of(ConnectorSettings.STORE_TYPE, "redis")::get))
        .hasMessageContaining(ConnectorSettings.REDIS_URL);
    assertThatThrownBy(() -> ConnectorSettings.from(Map.of(ConnectorSettings.STORE_TYPE, "mongo")::get))
        .hasMessageContaining(ConnectorSettings.STORE_TYPE);
  }
}
