package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.redis.RedisStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The readiness checks, where the application has the actuator: {@code feishu} and {@code feishuStore}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
class HealthConfiguration {

  @Bean
  FeishuHealthIndicator feishuHealthIndicator(FeishuApps apps) {
    return new FeishuHealthIndicator(apps);
  }

  @Bean
  StoreHealthIndicator feishuStoreHealthIndicator(FeishuProperties properties, ObjectProvider<RedisStore> redis) {
    RedisStore store = properties.store().type() == FeishuProperties.StoreType.REDIS ? redis.getIfAvailable() : null;
    return store == null ? StoreHealthIndicator.inProcess() : StoreHealthIndicator.redis(store, properties.store().timeout());
  }
}
