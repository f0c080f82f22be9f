package io.github.feishuapproval.config;

import io.github.feishuapproval.redis.RedisStore;
import io.github.feishuapproval.worker.FeishuWorkers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The readiness checks, where the application has the actuator: {@code feishu} and {@code feishuStore}. Each can be
 * switched off as Spring Boot's own are, with {@code management.health.feishu.enabled=false} and
 * {@code management.health.feishu-store.enabled=false}, or replaced by a bean of the same name.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
    "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
class HealthConfiguration {

  @Bean
  @ConditionalOnEnabledHealthIndicator("feishu")
  @ConditionalOnMissingBean(name = "feishuHealthIndicator")
  FeishuHealthIndicator feishuHealthIndicator(FeishuWorkers workers,
      ObjectProvider<FeishuLongConnections> longConnections) {
    return new FeishuHealthIndicator(workers.apps(), longConnections.getIfAvailable());
  }

  @Bean
  @ConditionalOnEnabledHealthIndicator("feishu-store")
  @ConditionalOnMissingBean(name = "feishuStoreHealthIndicator")
  StoreHealthIndicator feishuStoreHealthIndicator(FeishuProperties properties, ObjectProvider<RedisStore> redis) {
    RedisStore store = properties.store().type() == FeishuProperties.StoreType.REDIS ? redis.getIfAvailable() : null;
    return store == null ? StoreHealthIndicator.inProcess() : StoreHealthIndicator.redis(store, properties.store().timeout());
  }
}
