package io.github.feishuapproval.config;

import io.github.feishuapproval.redis.RedisServerInfo;
import io.github.feishuapproval.redis.RedisStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Whether the shared store answers, and is a Redis new enough for the quota's scripts. While Redis is out of reach the
 * worker hands every job back without spending a retry, so a replica that cannot reach it is not ready.
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
    RedisServerInfo server;
    try {
      server = redis.serverInfo().toCompletableFuture().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception unreachable) {
      Throwable cause = unreachable.getCause() == null ? unreachable : unreachable.getCause();
      builder.down().withDetail("store", "redis").withDetail("error", cause.getClass().getSimpleName()
          + ": Redis did not answer within " + timeout + "; jobs are handed back without spending a retry until it does");
      return;
    }
    var problem = server.problem();
    if (problem.isPresent()) {
      builder.down().withDetail("store", "redis").withDetail("error", problem.get());
    } else {
      builder.up().withDetail("store", "redis").withDetail("version", server.version());
    }
  }
}
