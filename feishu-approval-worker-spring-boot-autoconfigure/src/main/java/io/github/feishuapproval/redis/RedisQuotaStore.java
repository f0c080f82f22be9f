package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.QuotaStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Feishu's quotas shared by every replica: one sliding window per app, tenant and API, kept in a sorted set of the
 * last slots taken and changed only inside Lua scripts, so that no two replicas can take the same slot. Times are
 * Redis's own clock, so that replicas whose clocks disagree still count one window. A replica holding slots ahead
 * renews a lease on them; when it dies, the lease runs out and the others get those slots back: a new slot is the
 * earliest time that keeps every window within the quota, so such a gap is filled before the end of the queue. A
 * Redis that restarted empty has forgotten the last window's calls, so no quota is used until a window after its
 * start, whether the workers ran on through the restart or started again with it.
 */
public final class RedisQuotaStore implements QuotaStore {

  /**
   * How long a replica's slots ahead stay its own without a renewal, renewed three times as often: an eighth of the
   * window, between 0.5 s and 3 s (3 s for Feishu's minute). The slots of a replica that died and fall due before its
   * lease runs out are lost to everyone, so the lease is kept short against the window.
   */
  static Duration lease(Duration window) {
    Duration eighth = window.dividedBy(8);
    if (eighth.compareTo(Duration.ofMillis(500)) < 0) return Duration.ofMillis(500);
    return eighth.compareTo(Duration.ofSeconds(3)) > 0 ? Duration.ofSeconds(3) : eighth;
  }

  @SuppressWarnings("rawtypes")
  private static final RedisScript<List> RESERVE =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-reserve.lua"), List.class);
  @SuppressWarnings("rawtypes")
  private static final RedisScript<List> DEPART =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-depart.lua"), List.class);
  private static final RedisScript<Long> RENEW =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-lease.lua"), Long.class);
  private static final RedisScript<Long> PAUSE =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-pause.lua"), Long.class);
  private static final RedisScript<Long> START =
      RedisScript.of(new ClassPathResource("feishu-redis/quota-start.lua"), Long.class);

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;
  private final int callsPerWindow;
  private final Duration slotReuse;
  private final Duration lease;
  private final String replica = UUID.randomUUID().toString().substring(0, 8);
  /** The quotas this replica holds slots ahead in, with when the last of them comes ({@link System#nanoTime}). */
  private final Map<QuotaKey, Long> holdingUntil = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "feishu-quota-leases");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param server what Redis said of itself at the start, or null when it could not be reached then
   * @throws RedisServerInfo.UnsupportedRedisException when Redis is too old for the quota's scripts
   */
  RedisQuotaStore(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls, int callsPerWindow,
      Duration window, RedisServerInfo server) {
    this.redis = redis;
    this.keys = keys;
    this.calls = calls;
    this.callsPerWindow = callsPerWindow;
    this.slotReuse = QuotaStore.slotReuse(window);
    this.lease = lease(window);
    if (server != null) {
      server.problem().ifPresent(problem -> {
        throw new RedisServerInfo.UnsupportedRedisException(problem);
      });
      // a Redis this deployment used before has the marker; one without it holds the quota a window from its start
      calls.run("marker", redis.execute(START, List.of(keys.marker(), keys.hold()),
              List.of(Long.toString(micros(slotReuse)), Long.toString(micros(server.uptime())))).next())
          .exceptionally(unreachable -> 0L).join();
    }
    long every = lease.toMillis() / 3;
    renewals.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
    RedisKeys.Quota k = keys.quota(quota);
    return calls.run("quota_reserve", redis.execute(RESERVE,
            List.of(k.slots(), k.pause(), k.sequence(), k.leases(), keys.marker(), keys.hold(), k.sends()),
            List.of(Integer.toString(callsPerWindow), Long.toString(micros(slotReuse)), Long.toString(micros(maxWait)),
                replica, Long.toString(micros(lease))))
        .next())
        .thenApply(answer -> {
          Duration delay = Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000);
          if (((Number) answer.get(0)).longValue() != 1) return new Reservation.Refused(delay);
          if (!delay.isZero()) holdingUntil.merge(quota, System.nanoTime() + delay.toNanos(), Math::max);
          return new Reservation.Granted(delay, answer.get(2).toString());
        });
  }

  @Override
  public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
    RedisKeys.Quota k = keys.quota(quota);
    return calls.run("quota_depart", redis.execute(DEPART, List.of(k.slots(), k.leases(), k.sends(), k.pause()),
            List.of(granted.slot(), replica, Long.toString(micros(lease)), Integer.toString(callsPerWindow),
                Long.toString(micros(slotReuse))))
        .next())
        .thenApply(answer -> switch ((int) ((Number) answer.get(0)).longValue()) {
          case 1 -> new Departure.Go();
          case 2 -> new Departure.Wait(Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000));
          default -> new Departure.TakenBack();
        });
  }

  @Override
  public CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted) {
    RedisKeys.Quota k = keys.quota(quota);
    // each ZREM is atomic on its own, and a slot's name is unique, so no script is needed
    calls.run("quota_release", redis.opsForZSet().remove(k.sends(), granted.slot()));
    return calls.run("quota_release", redis.opsForZSet().remove(k.slots(), granted.slot()))
        .thenApply(removed -> removed == 1);
  }

  @Override
  public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
    RedisKeys.Quota k = keys.quota(quota);
    return calls.run("quota_pause", redis.execute(PAUSE, List.of(k.pause()), List.of(Long.toString(micros(wait))))
        .next()).thenApply(ignored -> null);
  }

  private void renewLeases() {
    long now = System.nanoTime();
    holdingUntil.forEach((quota, until) -> {
      if (until < now) {
        holdingUntil.remove(quota, until);
        return;
      }
      calls.run("quota_lease", redis.execute(RENEW, List.of(keys.quota(quota).leases()),
          List.of(replica, Long.toString(micros(lease)))).next());
    });
  }

  @Override
  public void close() {
    renewals.shutdownNow();
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }
}
