package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerConfigurationTest {

  @Test
  void missingCredentialsFailStartupNamingBothEnvironmentVariables() {
    assertThatThrownBy(() -> WorkerConfiguration.feishuSettings(properties(null, "secret", "https://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("FEISHU_APP_ID").hasMessageContaining("FEISHU_APP_SECRET");
    assertThatThrownBy(() -> WorkerConfiguration.feishuSettings(properties("cli_x", " ", "https://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void plainHttpBaseUrlIsRefusedUnlessItIsThisMachine() {
    assertThatThrownBy(() -> WorkerConfiguration.feishuSettings(properties("cli_x", "s", "http://open.feishu.cn", "60s")))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("FEISHU_BASE_URL");
    assertThat(WorkerConfiguration.feishuSettings(properties("cli_x", "s", "http://127.0.0.1:8080", "60s")).baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:8080"));
  }

  @Test
  void jobTimeoutMustOutlastEveryHttpCallOfAJob() {
    assertThatThrownBy(() -> WorkerConfiguration.feishuSettings(properties("cli_x", "s", "https://open.feishu.cn", "40s")))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("feishu.worker.job-timeout");
  }

  @Test
  void quotaWaitIsWhatTheJobTimeoutLeavesAfterTheWorstCaseCalls() {
    var settings = WorkerConfiguration.feishuSettings(properties("cli_x", "s", "https://open.feishu.cn", "60s"));

    assertThat(settings.maxQuotaWait()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.toString()).doesNotContain("\"s\"").contains("<redacted>");
  }

  @Test
  void shutdownGraceShorterThanTheJobTimeoutIsRefused() {
    FeishuProperties p = properties("cli_x", "s", "https://open.feishu.cn", "60s");
    FeishuProperties shortGrace = new FeishuProperties(p.appId(), p.appSecret(), p.apps(), p.baseUrl(), p.http(),
        new FeishuProperties.Worker("w", Duration.ofSeconds(60), 128, 256, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofSeconds(30)), p.rateLimit());

    assertThatThrownBy(() -> WorkerConfiguration.workerSettings(shortGrace))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("feishu.worker.shutdown-grace");
    assertThat(WorkerConfiguration.workerSettings(p).shutdownGrace()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void propertiesNeverPrintTheSecret() {
    assertThat(properties("cli_x", "very-secret-value", "https://open.feishu.cn", "60s").toString())
        .doesNotContain("very-secret-value");
  }

  private static FeishuProperties properties(String appId, String secret, String baseUrl, String jobTimeout) {
    return new FeishuProperties(appId, secret, java.util.Map.of(), URI.create(baseUrl),
        new FeishuProperties.Http(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)),
        new FeishuProperties.Worker("w", Duration.parse("PT" + jobTimeout.toUpperCase()), 128, 256, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofSeconds(60)),
        new FeishuProperties.RateLimit(100, Duration.ofMinutes(1)));
  }
}
