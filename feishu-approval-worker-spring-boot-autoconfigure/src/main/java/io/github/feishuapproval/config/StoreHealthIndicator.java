package io.github.feishuapproval.config;

import io.github.feishuapproval.redis.RedisStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Whether the shared store answers. While Redis is out of reach the worker hands every job back without spending a
 * retry, so a replica that cannot reach it is not ready.
 */
final class StoreHealthIndicator extends AbstractHealthIndicator {

  private final RedisStore redis;
  private final Duration timeout;

  private StoreHealthIndicator(RedisStore redis, Duration timeout) {
    super("The shared store did not answer");
    this.redis = redis;
    this.timeout = timeout;
  }

  static StoreHealthIndicator inProcess() {
    return new StoreHealthIndicator(null, Duration.ZERO);
  }

  static StoreHealthIndicator redis(RedisStore store, Duration timeout) {
    return new StoreHealthIndicator(store, timeout);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    if (redis == null) {
      builder.up().withDetail("store", "in-process: this replica's own quota and memory of done jobs");
      return;
    }
    try {
      redis.ping().toCompletableFuture().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      builder.up().withDetail("store", "redis");
    } catch (Exception unreachable) {
      Throwable cause = unreachable.getCause() == null ? unreachable : unreachable.getCause();
      builder.down().withDetail("store", "redis").withDetail("error", cause.getClass().getSimpleName()
          + ": Redis did not answer within " + timeout + "; jobs are handed back without spending a retry until it does");
    }
  }
}
