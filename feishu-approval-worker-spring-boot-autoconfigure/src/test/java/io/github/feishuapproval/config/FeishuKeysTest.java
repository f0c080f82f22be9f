package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

class FeishuKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"feishu.app-id", "feishu.appSecret", "feishu.camunda-tenants[0]", "feishu.apps.hr.app-id",
      "feishu.apps.hr.camunda-tenants[1]", "feishu.worker.max-in-flight", "feishu.rate-limit.calls",
      "feishu.store.key-prefix", "feishu.http.call-timeout", "feishu.bot.webhook", "feishu.custom"})
  void oursAndTheApplicationsOwnKeysPass(String key) {
    assertThatCode(() -> FeishuKeys.check(environment(key + "=x"))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"feishu.worker.job-timout", "feishu.apps.hr.secret", "feishu.http.timeout",
      "feishu.app-id.extra", "feishu.store.redis.host"})
  void aKeyInsideOurGroupsThatIsNotOursStopsTheStartNamingItNotItsValue(String key) {
    assertThatThrownBy(() -> FeishuKeys.check(environment(key + "=the-value-of-it")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(key)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("the-value-of-it"));
  }

  private static StandardEnvironment environment(String pair) {
    StandardEnvironment environment = new StandardEnvironment();
    TestPropertyValues.of(pair).applyTo(environment);
    return environment;
  }
}
