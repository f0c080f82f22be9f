package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.QuotaRedis;
import io.github.feishuapproval.feishu.QuotaScript;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.SharedQuotaStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Feishu's quotas shared by every replica ({@link SharedQuotaStore}: the core's scripts, keys and answers), reached
 * through the application's Redis connection, each call timed and within the store's timeout.
 */
public final class RedisQuotaStore implements QuotaStore {

  /** How long a replica's slots ahead stay its own without a renewal: see {@link SharedQuotaStore#lease}. */
  static Duration lease(Duration window) {
    return SharedQuotaStore.lease(window);
  }

  private static final Map<QuotaScript, RedisScript<?>> SCRIPTS = scripts();

  private final SharedQuotaStore shared;

  /**
   * @param server what Redis said of itself at the start, or null when it could not be reached then
   * @throws RedisServerInfo.UnsupportedRedisException when Redis is too old for the quota's scripts
   */
  RedisQuotaStore(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls, int callsPerWindow,
      Duration window, RedisServerInfo server) {
    if (server != null) {
      server.problem().ifPresent(problem -> {
        throw new RedisServerInfo.UnsupportedRedisException(problem);
      });
    }
    this.shared = new SharedQuotaStore(new TemplateCalls(redis, calls), keys.prefix(), callsPerWindow, window,
        server == null ? null : server.uptime());
  }

  @Override
  public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
    return shared.reserve(quota, maxWait);
  }

  @Override
  public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
    return shared.depart(quota, granted);
  }

  @Override
  public CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted) {
    return shared.release(quota, granted);
  }

  @Override
  public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
    return shared.pause(quota, wait);
  }

  @Override
  public void close() {
    shared.close();
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Map<QuotaScript, RedisScript<?>> scripts() {
    Map<QuotaScript, RedisScript<?>> scripts = new EnumMap<>(QuotaScript.class);
    for (QuotaScript script : QuotaScript.values()) {
      Class<?> answer = script.answersList() ? List.class : Long.class;
      scripts.put(script, RedisScript.of(script.source(), (Class) answer));
    }
    return scripts;
  }

  /** The quota's commands over Spring Data Redis. */
  private record TemplateCalls(ReactiveStringRedisTemplate redis, StoreCalls calls) implements QuotaRedis {

    @Override
    public CompletionStage<Object> run(QuotaScript script, List<String> keys, List<String> args) {
      return calls.run(script.operation(), redis.execute(SCRIPTS.get(script), keys, args).next().cast(Object.class));
    }

    @Override
    public CompletionStage<Long> removeMember(String operation, String sortedSet, String member) {
      return calls.run(operation, redis.opsForZSet().remove(sortedSet, member));
    }
  }
}
