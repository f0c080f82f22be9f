package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How often a long connection pings and how it reconnects, as Feishu's {@code ClientConfig} says (seconds): with the
 * endpoint's answer, and again in a pong. A field Feishu leaves out keeps its value.
 *
 * @param reconnectCount how many attempts Feishu suggests before giving up; the worker never gives up, as a replica
 *     that stopped listening would lose no error but every event
 * @param reconnectNonce the first reconnect waits a random part of this, so that replicas do not all come back at once
 */
public record LongConnectionSettings(int reconnectCount, Duration reconnectInterval, Duration reconnectNonce,
    Duration pingInterval) {

  /** What the official SDKs start with until Feishu says otherwise. */
  public static final LongConnectionSettings DEFAULTS = new LongConnectionSettings(-1, Duration.ofSeconds(120),
      Duration.ofSeconds(30), Duration.ofSeconds(120));

  private static final Duration SHORTEST_PING = Duration.ofSeconds(1);

  /** These settings with whatever {@code clientConfig} sets. */
  LongConnectionSettings with(JsonNode clientConfig) {
    if (clientConfig == null || !clientConfig.isObject()) return this;
    Duration ping = seconds(clientConfig, "PingInterval", pingInterval);
    return new LongConnectionSettings(clientConfig.path("ReconnectCount").asInt(reconnectCount),
        seconds(clientConfig, "ReconnectInterval", reconnectInterval),
        seconds(clientConfig, "ReconnectNonce", reconnectNonce),
        ping.compareTo(SHORTEST_PING) < 0 ? SHORTEST_PING : ping);
  }

  private static Duration seconds(JsonNode config, String field, Duration otherwise) {
    JsonNode value = config.path(field);
    return value.canConvertToInt() && value.asInt() >= 0 ? Duration.ofSeconds(value.asInt()) : otherwise;
  }
}
