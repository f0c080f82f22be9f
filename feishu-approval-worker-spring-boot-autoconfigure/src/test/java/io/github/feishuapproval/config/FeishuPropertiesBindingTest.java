package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.github.feishuapproval.worker.FeishuWorkers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class FeishuPropertiesBindingTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FeishuProperties.class)
  static class PropertiesOnly {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(PropertiesOnly.class);

  @Test
  void defaultsMatchTheReadme() {
    runner.run(context -> {
      FeishuProperties p = context.getBean(FeishuProperties.class);
      assertThat(p.baseUrl()).hasToString("https://open.feishu.cn");
      assertThat(p.worker().jobTimeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(p.worker().maxJobsActive()).isEqualTo(128);
      assertThat(p.worker().maxInFlight()).isEqualTo(256);
      assertThat(p.http().callTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.rateLimit().calls()).isEqualTo(100);
      assertThat(p.rateLimit().window()).isEqualTo(Duration.ofMinutes(1));
    });
  }

  @Test
  void namedAppsBindFromEnvironmentStyleProperties() {
    runner.withPropertyValues("feishu.apps.hr.app-id=cli_hr", "feishu.apps.hr.app-secret=x").run(context ->
        assertThat(context.getBean(FeishuProperties.class).apps().get("hr").appId()).isEqualTo("cli_hr"));
  }

  @Test
  void defaultsAreTheWorkerBuildersDefaultsSoEveryHostRunsTheSameWorker() {
    runner.run(context -> {
      FeishuProperties.Worker w = context.getBean(FeishuProperties.class).worker();
      assertThat(w.name()).isEqualTo(FeishuWorkers.DEFAULT_WORKER_NAME);
      assertThat(w.jobTimeout()).isEqualTo(FeishuWorkers.DEFAULT_JOB_TIMEOUT);
      assertThat(w.maxJobsActive()).isEqualTo(FeishuWorkers.DEFAULT_MAX_JOBS_ACTIVE);
      assertThat(w.maxInFlight()).isEqualTo(FeishuWorkers.DEFAULT_MAX_IN_FLIGHT);
      assertThat(w.retryBackoff()).isEqualTo(FeishuWorkers.DEFAULT_RETRY_BACKOFF);
      assertThat(w.maxRetryBackoff()).isEqualTo(FeishuWorkers.DEFAULT_MAX_RETRY_BACKOFF);
      assertThat(context.getBean(FeishuProperties.class).store().retryWait())
          .isEqualTo(FeishuWorkers.DEFAULT_STORE_RETRY_WAIT);
    });
  }

  @Test
  void theApplicationsOwnFeishuKeysDoNotStopTheBinding() {
    runner.withPropertyValues("feishu.bot.webhook=https://example.com/hook", "feishu.app-id=cli_a").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(FeishuProperties.class).appId()).isEqualTo("cli_a");
    });
  }

  @Test
  void invalidValueFailsStartupNamingIt() {
    runner.withPropertyValues("feishu.worker.max-in-flight=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("maxInFlight");
    });
  }

  @Test
  void ideMetadataDescribesEveryFeishuProperty() throws Exception {
    try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(metadata).isNotNull();
      String json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(json).contains("\"feishu.app-id\"", "\"feishu.base-url\"", "\"feishu.worker.job-timeout\"",
          "\"feishu.rate-limit.calls\"", "\"defaultValue\": \"https:\\/\\/open.feishu.cn\"");
    }
  }
}
