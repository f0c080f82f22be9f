package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.QuotaStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Feishu's quotas shared by every replica: one sliding window per app, tenant and API, kept in a sorted set of the
 * last slots taken, and changed only inside a Lua script, so that no two replicas can take the same slot. Times are
 * Redis's own clock, so that replicas whose clocks disagree still count one window.
 */
public final class RedisQuotaStore implements QuotaStore {

  @SuppressWarnings("rawtypes")
  private static final RedisScript<List> RESERVE =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-reserve.lua"), List.class);
  private static final RedisScript<Long> PAUSE =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-pause.lua"), Long.class);

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;
  private final int callsPerWindow;
  private final Duration slotReuse;

  RedisQuotaStore(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls, int callsPerWindow,
      Duration window) {
    this.redis = redis;
    this.keys = keys;
    this.calls = calls;
    this.callsPerWindow = callsPerWindow;
    this.slotReuse = QuotaStore.slotReuse(window);
  }

  @Override
  public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
    RedisKeys.Quota k = keys.quota(quota);
    return calls.run("quota_reserve", redis.execute(RESERVE, List.of(k.slots(), k.pause(), k.sequence()),
            List.of(Integer.toString(callsPerWindow), Long.toString(micros(slotReuse)), Long.toString(micros(maxWait))))
        .next())
        .thenApply(answer -> {
          long granted = ((Number) answer.get(0)).longValue();
          Duration micros = Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000);
          return granted == 1 ? new Reservation.Granted(micros) : new Reservation.Refused(micros);
        });
  }

  @Override
  public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
    RedisKeys.Quota k = keys.quota(quota);
    return calls.run("quota_pause", redis.execute(PAUSE, List.of(k.pause()), List.of(Long.toString(micros(wait))))
        .next()).thenApply(ignored -> null);
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }
}
