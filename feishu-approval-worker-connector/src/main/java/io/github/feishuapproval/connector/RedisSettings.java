package io.github.feishuapproval.connector;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the connector counts Feishu's quota together with the other runtime replicas (and any worker under the same key
 * prefix). The password is a secret: {@link #toString} and every message name only the server.
 *
 * @param url {@code redis://host:port} or {@code rediss://} for TLS, optionally with a database ({@code /1}) and, not
 *     recommended, {@code user:password@}
 * @param password the password Redis requires, when not in the URL
 * @param keyPrefix the start of every key: the worker's {@code feishu.store.key-prefix} to share one quota with it
 * @param timeout the longest one call to Redis may take before it counts as failed
 */
record RedisSettings(URI url, Optional<String> password, String keyPrefix, Duration timeout) {

  /** The server, without user or password: what messages and logs may show. */
  String server() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public String toString() {
    return "RedisSettings[server=" + server() + ", keyPrefix=" + keyPrefix + ", timeout=" + timeout + "]";
  }
}
