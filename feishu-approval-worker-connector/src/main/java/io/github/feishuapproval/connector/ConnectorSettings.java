package io.github.feishuapproval.connector;

import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.worker.FeishuWorkers;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the runtime's operator sets for every Feishu task, read from the runtime's environment (or system properties of
 * the same name): where Feishu is, the timeouts, the quota and the retry pace. Credentials are not here: each task
 * names its app, with the secret as {@code {{secrets.…}}}.
 *
 * @param quotaCalls calls per {@code quotaWindow} the connector allows itself for each API of an app: in this runtime
 *     replica alone, or with a Redis, in every replica together
 * @param maxQuotaWait the longest a job waits in the runtime for a quota slot before it is handed back
 * @param redis where the quota is shared, when {@code FEISHU_STORE_TYPE=redis}; empty counts it in this replica
 */
public record ConnectorSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout, Duration callTimeout,
    Duration rateLimitDefaultWait, int quotaCalls, Duration quotaWindow, Duration maxQuotaWait,
    Duration retryBackoff, Duration maxRetryBackoff, int maxConcurrentRequests, Optional<RedisSettings> redis) {

  public static final String BASE_URL = "FEISHU_BASE_URL";
  public static final String STORE_TYPE = "FEISHU_STORE_TYPE";
  public static final String REDIS_URL = "FEISHU_REDIS_URL";
  public static final String REDIS_PASSWORD = "FEISHU_REDIS_PASSWORD";
  public static final String REDIS_KEY_PREFIX = "FEISHU_REDIS_KEY_PREFIX";
  public static final String REDIS_TIMEOUT = "FEISHU_REDIS_TIMEOUT";

  /** The settings the runtime's environment gives, each with the worker's default. */
  public static ConnectorSettings fromEnvironment() {
    return from(name -> Optional.ofNullable(System.getenv(name)).orElse(System.getProperty(name)));
  }

  static ConnectorSettings from(Function<String, String> lookup) {
    Settings read = new Settings(lookup);
    return new ConnectorSettings(
        URI.create(read.text(BASE_URL, "https://open.feishu.cn")),
        read.duration("FEISHU_HTTP_CONNECT_TIMEOUT", Duration.ofSeconds(5)),
        read.duration("FEISHU_HTTP_READ_TIMEOUT", Duration.ofSeconds(10)),
        read.duration("FEISHU_HTTP_CALL_TIMEOUT", Duration.ofSeconds(10)),
        read.duration("FEISHU_HTTP_RATE_LIMIT_DEFAULT_WAIT", Duration.ofSeconds(10)),
        read.number("FEISHU_RATE_LIMIT_CALLS", 100),
        read.duration("FEISHU_RATE_LIMIT_WINDOW", Duration.ofMinutes(1)),
        read.duration("FEISHU_MAX_QUOTA_WAIT", Duration.ofSeconds(30)),
        read.duration("FEISHU_RETRY_BACKOFF", FeishuWorkers.DEFAULT_RETRY_BACKOFF),
        read.duration("FEISHU_MAX_RETRY_BACKOFF", FeishuWorkers.DEFAULT_MAX_RETRY_BACKOFF),
        read.number("FEISHU_HTTP_MAX_CONCURRENT_REQUESTS", 64),
        redis(read));
  }

  /** The shared store, as the worker's {@code feishu.store.*} with its defaults. */
  private static Optional<RedisSettings> redis(Settings read) {
    String type = read.text(STORE_TYPE, "memory").toLowerCase(Locale.ROOT);
    if (type.equals("memory")) return Optional.empty();
    if (!type.equals("redis")) throw new IllegalArgumentException(STORE_TYPE + " must be memory or redis");
    String url = read.text(REDIS_URL, "");
    if (url.isEmpty()) throw new IllegalArgumentException(STORE_TYPE + "=redis needs " + REDIS_URL);
    URI redis;
    try {
      redis = new URI(url);
    } catch (URISyntaxException e) {
      redis = null;
    }
    // the URL may hold a password: named, never shown
    if (redis == null || redis.getHost() == null
        || !(("redis".equals(redis.getScheme())) || "rediss".equals(redis.getScheme()))) {
      throw new IllegalArgumentException(REDIS_URL + " must be a Redis URL such as redis://redis:6379 or "
          + "rediss://redis:6380");
    }
    // as given, spaces and all
    String password = read.lookup().apply(REDIS_PASSWORD);
    return Optional.of(new RedisSettings(redis, Optional.ofNullable(password).filter(p -> !p.isEmpty()),
        read.text(REDIS_KEY_PREFIX, "feishu-approval-worker"), read.duration(REDIS_TIMEOUT, Duration.ofSeconds(2))));
  }

  /** The settings of one self-built app; its secret stays inside them. */
  FeishuSettings app(String appId, String appSecret) {
    return new FeishuSettings(baseUrl, appId, appSecret, connectTimeout, readTimeout, callTimeout,
        maxConcurrentRequests, rateLimitDefaultWait, quotaCalls, quotaWindow, maxQuotaWait,
        FeishuWorkers.DEFAULT_STORE_RETRY_WAIT);
  }

  /** Reads one setting at a time, naming the setting (never its value) when it cannot be used. */
  private record Settings(Function<String, String> lookup) {

    String text(String name, String fallback) {
      String value = lookup.apply(name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    int number(String name, int fallback) {
      String value = text(name, Integer.toString(fallback));
      try {
        int number = Integer.parseInt(value);
        if (number < 0) throw new NumberFormatException();
        return number;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number of at least 0");
      }
    }

    /** An ISO-8601 duration (PT10S) or a number with ms, s, m or h, as the worker's settings take them. */
    Duration duration(String name, Duration fallback) {
      String value = text(name, "").toLowerCase(Locale.ROOT);
      if (value.isEmpty()) return fallback;
      try {
        if (value.startsWith("p")) return Duration.parse(value.toUpperCase(Locale.ROOT));
        if (value.endsWith("ms")) return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          default -> throw new IllegalArgumentException();
        };
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(name + " must be a duration such as 10s, 500ms, 5m or PT10S");
      }
    }
  }
}
