package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feishu's quotas shared by every replica through Redis: one sliding window per app, tenant and API, kept in a sorted
 * set of the last slots taken and changed only inside Lua scripts ({@link QuotaScript}), so that no two replicas can
 * take the same slot. Times are Redis's own clock, so that replicas whose clocks disagree still count one window. A
 * replica holding slots ahead renews a lease on them; when it dies, the lease runs out and the others get those slots
 * back: a new slot is the earliest time that keeps every window within the quota, so such a gap is filled before the
 * end of the queue. A Redis that restarted empty has forgotten the last window's calls, so no quota is used until a
 * window after its start, whether the replicas ran on through the restart or started again with it. The worker and the
 * connector reach Redis each through its own client ({@link QuotaRedis}), and count one quota under one key prefix.
 */
public final class SharedQuotaStore implements QuotaStore {

  /** The oldest Redis whose scripts may write after reading its clock (they replicate effects by default). */
  public static final int OLDEST_REDIS_MAJOR = 5;

  /**
   * Whether the quota's scripts run on a Redis of this {@code redis_version}; true when the version is not said (a
   * proxy in front of Redis may not say it), which the scripts' own errors then show.
   */
  public static boolean runsOn(String redisVersion) {
    String major = redisVersion.contains(".") ? redisVersion.substring(0, redisVersion.indexOf('.')) : redisVersion;
    return !major.matches("\\d{1,4}") || Integer.parseInt(major) >= OLDEST_REDIS_MAJOR;
  }

  /**
   * How long a replica's slots ahead stay its own without a renewal, renewed three times as often: an eighth of the
   * window, between 0.5 s and 3 s (3 s for Feishu's minute). The slots of a replica that died and fall due before its
   * lease runs out are lost to everyone, so the lease is kept short against the window.
   */
  public static Duration lease(Duration window) {
    Duration eighth = window.dividedBy(8);
    if (eighth.compareTo(Duration.ofMillis(500)) < 0) return Duration.ofMillis(500);
    return eighth.compareTo(Duration.ofSeconds(3)) > 0 ? Duration.ofSeconds(3) : eighth;
  }

  private final QuotaRedis redis;
  private final String prefix;
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
   * @param keyPrefix the start of every key, so that two deployments can share one Redis
   * @param redisUptime how long Redis had run when the replica started, or null when it could not be asked: a Redis
   *     this deployment used before keeps its marker; one without it holds the quota a window from its start
   */
  public SharedQuotaStore(QuotaRedis redis, String keyPrefix, int callsPerWindow, Duration window,
      Duration redisUptime) {
    this.redis = redis;
    this.prefix = keyPrefix;
    this.callsPerWindow = callsPerWindow;
    this.slotReuse = QuotaStore.slotReuse(window);
    this.lease = lease(window);
    if (redisUptime != null) {
      redis.run(QuotaScript.START, List.of(marker(), hold()),
              List.of(Long.toString(micros(slotReuse)), Long.toString(micros(redisUptime))))
          .toCompletableFuture().exceptionally(unreachable -> 0L).join();
    }
    long every = lease.toMillis() / 3;
    renewals.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
    Keys k = keys(quota);
    return redis.run(QuotaScript.RESERVE,
            List.of(k.slots(), k.pause(), k.sequence(), k.leases(), marker(), hold(), k.sends()),
            List.of(Integer.toString(callsPerWindow), Long.toString(micros(slotReuse)), Long.toString(micros(maxWait)),
                replica, Long.toString(micros(lease))))
        .thenApply(reply -> {
          List<?> answer = (List<?>) reply;
          Duration delay = Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000);
          if (((Number) answer.get(0)).longValue() != 1) return new Reservation.Refused(delay);
          if (!delay.isZero()) holdingUntil.merge(quota, System.nanoTime() + delay.toNanos(), Math::max);
          return new Reservation.Granted(delay, answer.get(2).toString());
        });
  }

  @Override
  public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
    Keys k = keys(quota);
    return redis.run(QuotaScript.DEPART, List.of(k.slots(), k.leases(), k.sends(), k.pause()),
            List.of(granted.slot(), replica, Long.toString(micros(lease)), Integer.toString(callsPerWindow),
                Long.toString(micros(slotReuse))))
        .thenApply(reply -> {
          List<?> answer = (List<?>) reply;
          return switch ((int) ((Number) answer.get(0)).longValue()) {
            case 1 -> new Departure.Go();
            case 2 -> new Departure.Wait(Duration.ofNanos(((Number) answer.get(1)).longValue() * 1000));
            default -> new Departure.TakenBack();
          };
        });
  }

  @Override
  public CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted) {
    Keys k = keys(quota);
    // each ZREM is atomic on its own, and a slot's name is unique, so no script is needed
    redis.removeMember("quota_release", k.sends(), granted.slot());
    return redis.removeMember("quota_release", k.slots(), granted.slot()).thenApply(removed -> removed == 1);
  }

  @Override
  public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
    return redis.run(QuotaScript.PAUSE, List.of(keys(quota).pause()), List.of(Long.toString(micros(wait))))
        .thenApply(ignored -> null);
  }

  private void renewLeases() {
    long now = System.nanoTime();
    holdingUntil.forEach((quota, until) -> {
      if (until < now) {
        holdingUntil.remove(quota, until);
        return;
      }
      redis.run(QuotaScript.LEASE, List.of(keys(quota).leases()), List.of(replica, Long.toString(micros(lease))));
    });
  }

  @Override
  public void close() {
    renewals.shutdownNow();
  }

  /**
   * The keys of one quota, namespaced by the Feishu app id (never its secret) and hashed together for Redis Cluster:
   * the slots taken, the pause Feishu asked for, a counter that keeps slot names unique, the leases of the replicas
   * holding slots ahead, and the calls sent in the last window.
   */
  private record Keys(String slots, String pause, String sequence, String leases, String sends) {}

  private Keys keys(QuotaKey key) {
    String tag = "{" + prefix + ":" + key.appId() + ":" + (key.tenantKey().isEmpty() ? "-" : key.tenantKey()) + ":"
        + key.api() + "}";
    String base = prefix + ":quota:" + tag;
    return new Keys(base + ":slots", base + ":pause", base + ":seq", base + ":leases", base + ":sends");
  }

  /** Set when a replica starts; a Redis without it restarted empty, and may have forgotten the last window's calls. */
  private String marker() {
    return prefix + ":started";
  }

  /** Until when no quota may be used after such a restart. */
  private String hold() {
    return prefix + ":hold-until";
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }
}
