package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A start that fails over a {@code feishu.*} setting says which key, and never prints the value: a secret under a
 * misspelt key or in the wrong place would otherwise land in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInStartupFailuresTest {

  private static final String SECRET = "s3cr3t-value-never-printed";

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({CamundaAutoConfiguration.class, JacksonAutoConfiguration.class,
      ValidationAutoConfiguration.class, FeishuWorkerAutoConfiguration.class})
  static class Host {}

  @ParameterizedTest
  @CsvSource({
      "feishu.apps.hr.secret, feishu.apps.hr.secret",
      "feishu.worker.job-timout, feishu.worker.job-timout",
      "feishu.apps.hr, feishu.apps.hr",
      "feishu.http.call-timeout, feishu.http.call-timeout",
      "feishu.rate-limit.calls, feishu.rate-limit.calls",
      "feishu.worker.retry-backoff, feishu.worker.retry-backoff"})
  void aSettingThatStopsTheStartIsNamedWithoutItsValue(String key, String named, CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(Host.class).web(WebApplicationType.NONE)
        .properties("camunda.client.grpc-address=http://127.0.0.1:1", "camunda.client.rest-address=http://127.0.0.1:1",
            "camunda.client.auth.method=none", "feishu.app-id=cli_a", "feishu.app-secret=a",
            "feishu.apps.hr.app-id=cli_hr", key + "=" + SECRET,
            // Spring Boot logs the whole failure, causes and all, at DEBUG
            "logging.level.org.springframework=DEBUG");

    assertThatThrownBy(app::run).satisfies(failure ->
        assertThat(messages(failure)).noneMatch(message -> message.contains(SECRET)));
    String report = output.getAll();
    assertThat(report).contains("APPLICATION FAILED TO START").contains(named).doesNotContain(SECRET);
  }

  private static List<String> messages(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) messages.add(String.valueOf(t.getMessage()));
    return messages;
  }
}
