package io.github.feishuapproval.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.InstanceOfAssertFactories;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.web.FeishuEventEndpoint;
import io.github.feishuapproval.worker.JobEvents;
import io.github.feishuapproval.worker.JobMemory;
import io.github.feishuapproval.worker.FeishuWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter in a host application: what it adds, when it stays away, and what of the host it leaves alone. */
class FeishuWorkerAutoConfigurationTest {

  private static final String[] CAMUNDA = {"camunda.client.grpc-address=http://127.0.0.1:1",
      "camunda.client.rest-address=http://127.0.0.1:1", "camunda.client.auth.method=none"};
  private static final String[] FEISHU = {"feishu.app-id=cli_host_app", "feishu.app-secret=host-secret"};

  /** A host application with beans of its own, among them the kinds a careless starter would replace. */
  @Configuration(proxyBeanMethods = false)
  static class Host {
    static final ObjectMapper HOSTS_MAPPER = new ObjectMapper();

    @Bean
    ObjectMapper objectMapper() {
      return HOSTS_MAPPER;
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    String hostService() {
      return "the host's own bean";
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CamundaAutoConfiguration.class, JacksonAutoConfiguration.class,
          ValidationAutoConfiguration.class, FeishuWorkerAutoConfiguration.class))
      .withUserConfiguration(Host.class)
      .withPropertyValues(CAMUNDA);

  @Test
  void withAnAppConfiguredTheWorkersRunOnTheHostsClientAndMeterRegistryLeavingItsBeansAlone() {
    runner.withPropertyValues(FEISHU).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(FeishuWorkers.class).hasSingleBean(CamundaClient.class);
      assertThat(context.getBean(ObjectMapper.class)).isSameAs(Host.HOSTS_MAPPER);
      assertThat(context.getBean("hostService")).isEqualTo("the host's own bean");
      assertThat(context.getBeansOfType(MeterRegistry.class)).hasSize(1);
      assertThat(context.getBean(MicrometerEvents.class)).extracting("registry")
          .isSameAs(context.getBean(MeterRegistry.class));
      assertThat(context).doesNotHaveBean(FeishuEventEndpoint.class);
    });
  }

  @Test
  void feishuEnabledFalseSwitchesEverythingOff() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(FeishuWorkers.class)
          .doesNotHaveBean(FeishuProperties.class);
      assertThat(context.getBean("hostService")).isEqualTo("the host's own bean");
    });
  }

  @Test
  void withoutCredentialsTheWorkersStayOffAndTheHostStarts() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FeishuWorkers.class)
        .hasSingleBean(CamundaClient.class));
  }

  @Test
  void withoutCredentialsFailFastStopsTheStartSayingWhatToSet() {
    runner.withPropertyValues("feishu.fail-fast=true").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("FEISHU_APP_ID");
    });
  }

  @Test
  void theEventEndpointComesOnlyWithAStoreAppInAServletApplication() {
    WebApplicationContextRunner web = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CamundaAutoConfiguration.class, JacksonAutoConfiguration.class,
            ValidationAutoConfiguration.class, FeishuWorkerAutoConfiguration.class))
        .withUserConfiguration(Host.class)
        .withPropertyValues(CAMUNDA).withPropertyValues(FEISHU);

    web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FeishuEventEndpoint.class));
    web.withPropertyValues("feishu.apps.isv.type=store", "feishu.apps.isv.app-id=cli_isv",
        "feishu.apps.isv.app-secret=s", "feishu.apps.isv.verification-token=v", "feishu.apps.isv.encrypt-key=k")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FeishuEventEndpoint.class));
  }

  @Test
  void anAppOnTheLongConnectionGetsItWithoutAWebServerAndWithoutTheEventEndpoint() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.base-url=http://127.0.0.1:1",
        "feishu.events-delivery=long-connection").run(context -> assertThat(context).hasNotFailed()
            .hasSingleBean(FeishuLongConnections.class).doesNotHaveBean(FeishuEventEndpoint.class));
    runner.withPropertyValues(FEISHU).run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(FeishuLongConnections.class));
  }

  @Test
  void theHealthShowsAnAppsLongConnectionReconnectingWithoutGoingDownForIt() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.base-url=http://127.0.0.1:1",
        "feishu.events-delivery=long-connection").run(context -> {
          Health health = context.getBean(FeishuHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails().get("default")).asInstanceOf(InstanceOfAssertFactories.MAP)
              .containsEntry("longConnection", "reconnecting");
        });
    runner.withPropertyValues(FEISHU).run(context -> assertThat(
        context.getBean(FeishuHealthIndicator.class).health().getDetails().get("default"))
        .asInstanceOf(InstanceOfAssertFactories.MAP).doesNotContainKey("longConnection"));
  }

  @Test
  void aStoreAppOnTheLongConnectionStopsTheStartNamingTheKey() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.apps.isv.type=store", "feishu.apps.isv.app-id=cli_isv",
        "feishu.apps.isv.app-secret=isv-secret-7d2a", "feishu.apps.isv.verification-token=isv-token-41c9",
        "feishu.apps.isv.encrypt-key=isv-key-8e0c", "feishu.apps.isv.events-delivery=long-connection")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationException.class)
              .hasMessageContaining("the app 'isv' is a store app")
              .hasMessageContaining("feishu.apps.isv.events-delivery")
              .message().doesNotContain("isv-secret-7d2a").doesNotContain("isv-token-41c9");
        });
    runner.withPropertyValues("feishu.app-id=cli_store", "feishu.app-secret=store-secret-5e1b", "feishu.app-type=store",
        "feishu.verification-token=store-token-0f3d", "feishu.encrypt-key=store-key-2b7a",
        "feishu.events-delivery=long-connection").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationException.class)
              .hasMessageContaining("the default app is a store app")
              .hasMessageContaining("FEISHU_EVENTS_DELIVERY (feishu.events-delivery)");
        });
  }

  @Test
  void aStoreAppWithoutAnEncryptKeyStopsTheStartNamingTheAppAndThePropertyButNoSecret() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.apps.isv.type=store", "feishu.apps.isv.app-id=cli_isv",
        "feishu.apps.isv.app-secret=isv-secret-7d2a", "feishu.apps.isv.verification-token=isv-token-41c9")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationException.class)
              .hasMessageContaining("the app 'isv' is a store app").hasMessageContaining("feishu.apps.isv.encrypt-key")
              .message().doesNotContain("isv-secret-7d2a").doesNotContain("isv-token-41c9");
        });
    runner.withPropertyValues("feishu.app-id=cli_store", "feishu.app-secret=store-secret-5e1b", "feishu.app-type=store",
        "feishu.verification-token=store-token-0f3d", "feishu.encrypt-key= ").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationException.class)
              .hasMessageContaining("the default app is a store app")
              .hasMessageContaining("FEISHU_ENCRYPT_KEY (feishu.encrypt-key)")
              .message().doesNotContain("store-secret-5e1b").doesNotContain("store-token-0f3d");
        });
  }

  /** A host that brings its own stores and events. */
  @Configuration(proxyBeanMethods = false)
  static class OwnParts {
    static final QuotaStore QUOTAS = QuotaStore.inProcess(5, Duration.ofMinutes(1), Clock.systemUTC());
    static final TicketStore TICKETS = TicketStore.inProcess(Clock.systemUTC());
    static final JobMemory MEMORY = JobMemory.inProcess(10);

    interface Events extends FeishuEvents, JobEvents {}

    @Bean
    QuotaStore quotas() {
      return QUOTAS;
    }

    @Bean
    TicketStore tickets() {
      return TICKETS;
    }

    @Bean
    JobMemory memory() {
      return MEMORY;
    }

    @Bean
    Events events() {
      return (jobType, outcome) -> { };
    }

    @Bean
    HealthIndicator feishuHealthIndicator() {
      return () -> Health.up().build();
    }
  }

  @Test
  void everyPartTheHostDefinesItselfReplacesOurs() {
    runner.withPropertyValues(FEISHU).withUserConfiguration(OwnParts.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(FeishuWorkers.class);
      assertThat(context.getBean(QuotaStore.class)).isSameAs(OwnParts.QUOTAS);
      assertThat(context.getBean(TicketStore.class)).isSameAs(OwnParts.TICKETS);
      assertThat(context.getBean(JobMemory.class)).isSameAs(OwnParts.MEMORY);
      assertThat(context).doesNotHaveBean(MicrometerEvents.class);
      assertThat(context.getBean("feishuHealthIndicator")).isNotInstanceOf(FeishuHealthIndicator.class);
    });
  }

  @Test
  void withoutAMeterRegistryOfTheHostsThereAreNoMetersRatherThanGlobalOnes() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CamundaAutoConfiguration.class, JacksonAutoConfiguration.class,
            ValidationAutoConfiguration.class, FeishuWorkerAutoConfiguration.class))
        .withPropertyValues(CAMUNDA).withPropertyValues(FEISHU)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(FeishuWorkers.class).doesNotHaveBean(MeterRegistry.class);
          assertThat(context).doesNotHaveBean(MicrometerEvents.class);
        });
  }

  @Test
  void eachHealthIndicatorCanBeSwitchedOffAsSpringBootsOwn() {
    runner.withPropertyValues(FEISHU).run(context -> assertThat(context)
        .hasBean("feishuHealthIndicator").hasBean("feishuStoreHealthIndicator"));
    runner.withPropertyValues(FEISHU).withPropertyValues("management.health.feishu.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean("feishuHealthIndicator").hasBean("feishuStoreHealthIndicator"));
    runner.withPropertyValues(FEISHU).withPropertyValues("management.health.feishu-store.enabled=false").run(context ->
        assertThat(context).hasBean("feishuHealthIndicator").doesNotHaveBean("feishuStoreHealthIndicator"));
  }

  @Test
  void theHostsOwnFeishuKeysAreLeftToIt() {
    runner.withPropertyValues(FEISHU).withPropertyValues("feishu.bot.webhook=https://example.com/hook")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FeishuWorkers.class));
  }
}
