package io.github.feishuapproval.config;

import io.camunda.client.CamundaClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * The Feishu job workers in any Spring Boot application with the Camunda Spring SDK, on its {@code CamundaClient}
 * and its meter registry. {@code feishu.enabled=false} switches them off; without a Feishu app configured they stay
 * off too, unless {@code feishu.fail-fast=true} asks the start to fail instead. Nothing global of the host is changed:
 * no component scan, no Jackson or web settings, no meters outside the application's registry; every bean is named
 * {@code feishu...} and backs off when the application defines its own.
 */
// after the meter registry, so that the meters go to the application's own, and after Spring Security's default
// chain, which the event endpoint's chain must not make back off
@AutoConfiguration(afterName = {
    "io.camunda.client.spring.configuration.CamundaAutoConfiguration",
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
    "org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration"})
@ConditionalOnClass(CamundaClient.class)
// the client itself may come later, from Camunda's auto-configuration or from Camunda Process Test's context
@ConditionalOnProperty(prefix = "camunda.client", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(prefix = "feishu", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(FeishuConditions.AppConfigured.class)
@EnableConfigurationProperties(FeishuProperties.class)
@Import({WorkerConfiguration.class, StoreConfiguration.class, HealthConfiguration.class,
    EventEndpointConfiguration.class, CallbackEndpointConfiguration.class, ApprovalSubscriptionConfiguration.class,
    LongConnectionConfiguration.class})
public class FeishuWorkerAutoConfiguration {

  /** Static, so that it is there before the Feishu settings are bound. */
  @Bean
  static ConfigurationPropertiesBindHandlerAdvisor feishuHiddenValueBinding() {
    return new HiddenValueBinding();
  }
}
