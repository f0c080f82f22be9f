package io.github.feishuapproval.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.worker.JobMemory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The shared store on Redis: the quota, the memory of done jobs, store apps' tickets and the event pushes seen, which
 * every replica sees, reached through the application's Redis connection (Lettuce, configured by
 * {@code spring.data.redis.*}). Every call has a timeout.
 */
public final class RedisStore {

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;

  /**
   * @param keyPrefix the start of every key this worker writes
   * @param timeout the longest any one call may take before it counts as failed
   */
  public RedisStore(ReactiveRedisConnectionFactory connections, String keyPrefix, Duration timeout,
      MeterRegistry registry) {
    this.redis = new ReactiveStringRedisTemplate(connections);
    this.keys = new RedisKeys(keyPrefix);
    this.calls = new StoreCalls(registry, timeout);
  }

  /**
   * The quotas, once Redis has said what it is; a Redis out of reach at the start is asked again by the readiness
   * probe.
   *
   * @throws RedisServerInfo.UnsupportedRedisException when Redis is too old for the quota's scripts
   */
  public QuotaStore quotas(int callsPerWindow, Duration window) {
    RedisServerInfo server = serverInfo().toCompletableFuture().exceptionally(unreachable -> null).join();
    return new RedisQuotaStore(redis, keys, calls, callsPerWindow, window, server);
  }

  public JobMemory jobMemory(ObjectMapper json) {
    return new RedisJobMemory(redis, keys, calls, json);
  }

  public TicketStore tickets() {
    return new RedisTicketStore(redis, keys, calls);
  }

  /** What Redis says of itself ({@code INFO server}): whether it answers, and whether it is new enough. */
  public CompletionStage<RedisServerInfo> serverInfo() {
    return calls.run("info", redis.execute(connection -> connection.serverCommands().info("server")).next())
        .thenApply(RedisServerInfo::of);
  }

  public SeenEvents seenEvents() {
    return new RedisSeenEvents(redis, keys, calls);
  }

  /** Whether Redis answers, for the readiness probe. */
  public CompletionStage<String> ping() {
    return calls.run("ping", redis.execute(connection -> connection.ping()).next());
  }
}
