package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.SharedQuotaStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * What the store needs to know of the Redis it talks to, from {@code INFO server}: its version, since the quota's
 * scripts read Redis's clock and then write, which Redis allows only from 5.0 on; and how long it has run, since a
 * Redis that started less than a window ago may have forgotten the calls of the window before.
 *
 * @param version {@code redis_version}, or empty when Redis did not say
 * @param uptime {@code uptime_in_seconds}, or {@link Duration#ZERO} when Redis did not say
 */
public record RedisServerInfo(String version, Duration uptime) {

  /** The oldest Redis whose scripts may write after reading its clock (they replicate effects by default). */
  static final int OLDEST_MAJOR = SharedQuotaStore.OLDEST_REDIS_MAJOR;

  static RedisServerInfo of(Properties info) {
    String uptime = info.getProperty("uptime_in_seconds", "").trim();
    return new RedisServerInfo(info.getProperty("redis_version", "").trim(),
        uptime.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(uptime)) : Duration.ZERO);
  }

  /**
   * Why the worker cannot use this Redis, in one line for an operator; empty when it can, or when it does not say its
   * version (a proxy in front of Redis may not), which the scripts' own errors then show.
   */
  public Optional<String> problem() {
    if (SharedQuotaStore.runsOn(version)) return Optional.empty();
    return Optional.of("the shared store needs Redis " + OLDEST_MAJOR + ".0 or newer, whose scripts may write after "
        + "reading the server's clock, but this Redis is " + version
        + ": upgrade Redis, or set feishu.store.type=memory for a single replica");
  }

  /** A Redis too old for the quota's scripts: the start stops with this one line. */
  public static final class UnsupportedRedisException extends RuntimeException {
    UnsupportedRedisException(String message) {
      super(message, null, false, false);
    }
  }
}
