package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.ExactJson;
import io.github.feishuapproval.feishu.LocalSeenEvents;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.redis.RedisServerInfo;
import io.github.feishuapproval.redis.RedisStore;
import io.github.feishuapproval.worker.FeishuWorkers;
import io.github.feishuapproval.worker.JobMemory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Where the quota, the memory of done jobs, store apps' tickets and the event pushes seen live: in this process (the
 * default), or with {@code feishu.store.type=redis} in the Redis that {@code spring.data.redis.*} names, shared by
 * every replica.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  static final String REDIS = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

  /** Memory of this process: the last event pushes it saw, as many as this of each kind. */
  private static final int SEEN_EVENTS = 100_000;

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "feishu.store.type", havingValue = "memory", matchIfMissing = true)
  static class InProcess {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    QuotaStore feishuQuotaStore(FeishuProperties properties) {
      return QuotaStore.inProcess(Math.max(1, properties.rateLimit().calls()), properties.rateLimit().window(),
          Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    JobMemory feishuJobMemory() {
      return JobMemory.inProcess(FeishuWorkers.RECENT_JOBS);
    }

    @Bean
    @ConditionalOnMissingBean
    TicketStore feishuTicketStore() {
      return TicketStore.inProcess(Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    SeenEvents feishuSeenEvents() {
      return new LocalSeenEvents(Clock.systemUTC(), SEEN_EVENTS);
    }

  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "feishu.store.type", havingValue = "redis")
  @ConditionalOnClass(name = REDIS)
  static class InRedis {
    @Bean
    @ConditionalOnMissingBean
    RedisStore feishuRedisStore(ReactiveRedisConnectionFactory connections, FeishuProperties properties,
        ObjectProvider<MeterRegistry> registry) {
      // without a registry of the application's own, the store's meters go nowhere (a composite of no registries)
      return new RedisStore(connections, properties.store().keyPrefix(), properties.store().timeout(),
          registry.getIfAvailable(CompositeMeterRegistry::new));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    QuotaStore feishuQuotaStore(RedisStore store, FeishuProperties properties) {
      try {
        return store.quotas(Math.max(1, properties.rateLimit().calls()), properties.rateLimit().window());
      } catch (RedisServerInfo.UnsupportedRedisException tooOld) {
        throw new InvalidConfigurationException(tooOld.getMessage());
      }
    }

    @Bean
    @ConditionalOnMissingBean
    JobMemory feishuJobMemory(RedisStore store) {
      return store.jobMemory(ExactJson.newMapper());
    }

    @Bean
    @ConditionalOnMissingBean
    TicketStore feishuTicketStore(RedisStore store) {
      return store.tickets();
    }

    @Bean
    @ConditionalOnMissingBean
    SeenEvents feishuSeenEvents(RedisStore store) {
      return store.seenEvents();
    }

  }

  /** Without Spring Data Redis there is no Redis to share: a setting that asks for it stops the start. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "feishu.store.type", havingValue = "redis")
  @ConditionalOnMissingClass(REDIS)
  static class RedisMissing {
    @Bean
    Object feishuRedisMissing() {
      throw new InvalidConfigurationException("feishu.store.type=redis needs Spring Data Redis: add "
          + "org.springframework.boot:spring-boot-starter-data-redis to the application, and spring.data.redis.*");
    }
  }
}
