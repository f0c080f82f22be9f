package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.LocalQuotaStore;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.LocalTicketStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.redis.RedisStore;
import io.github.feishuapproval.worker.JobMemory;
import io.github.feishuapproval.worker.RecentJobs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Where the quota and the memory of done jobs live: in this process (the default), or with
 * {@code feishu.store.type=redis} in the Redis that {@code spring.data.redis.*} names, shared by every replica.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  /** Memory of this process: the last jobs it saw, as many as this. */
  private static final int RECENT_JOBS = 10_000;

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "feishu.store.type", havingValue = "memory", matchIfMissing = true)
  static class InProcess {
    @Bean(destroyMethod = "close")
    QuotaStore feishuQuotaStore(FeishuProperties properties) {
      return new LocalQuotaStore(Math.max(1, properties.rateLimit().calls()), properties.rateLimit().window(),
          Clock.systemUTC());
    }

    @Bean
    JobMemory feishuJobMemory() {
      return new RecentJobs(RECENT_JOBS);
    }

    @Bean
    TicketStore feishuTicketStore() {
      return new LocalTicketStore(Clock.systemUTC());
    }

    @Bean
    StoreHealthIndicator feishuStoreHealthIndicator() {
      return StoreHealthIndicator.inProcess();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "feishu.store.type", havingValue = "redis")
  static class InRedis {
    @Bean
    RedisStore feishuRedisStore(ReactiveRedisConnectionFactory connections, FeishuProperties properties,
        MeterRegistry registry) {
      return new RedisStore(connections, properties.store().keyPrefix(), properties.store().timeout(), registry);
    }

    @Bean(destroyMethod = "close")
    QuotaStore feishuQuotaStore(RedisStore store, FeishuProperties properties) {
      return store.quotas(Math.max(1, properties.rateLimit().calls()), properties.rateLimit().window());
    }

    @Bean
    JobMemory feishuJobMemory(RedisStore store) {
      return store.jobMemory(WorkerConfiguration.JSON);
    }

    @Bean
    TicketStore feishuTicketStore(RedisStore store) {
      return store.tickets();
    }

    @Bean
    StoreHealthIndicator feishuStoreHealthIndicator(RedisStore store, FeishuProperties properties) {
      return StoreHealthIndicator.redis(store, properties.store().timeout());
    }
  }
}
