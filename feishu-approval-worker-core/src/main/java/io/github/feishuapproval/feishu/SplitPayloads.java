package io.github.feishuapproval.feishu;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Joins a long connection's data frames that carry one message in parts (headers {@code sum}, {@code seq}, by
 * {@code message_id}). A message whose parts do not all come within {@link #KEEP} is dropped: Feishu sends it again,
 * whole, as it was never acknowledged. At most {@link #MAX_MESSAGES} are kept at once, the oldest dropped first.
 */
final class SplitPayloads {

  static final Duration KEEP = Duration.ofMinutes(5);
  static final int MAX_MESSAGES = 1_000;
  /** Feishu splits what does not fit one frame; no event needs more parts than this. */
  static final int MAX_PARTS = 64;

  private record Parts(byte[][] parts, Instant first) {}

  private final Clock clock;
  private final Map<String, Parts> waiting = new LinkedHashMap<>();

  SplitPayloads(Clock clock) {
    this.clock = clock;
  }

  /** The whole payload once this part completes it; empty while parts are missing, or when the part is not one. */
  synchronized Optional<byte[]> add(String messageId, int sum, int seq, byte[] part) {
    if (sum <= 1) return Optional.of(part);
    if (sum > MAX_PARTS || seq < 0 || seq >= sum) return Optional.empty();
    Instant now = clock.instant();
    dropStale(now);
    Parts parts = waiting.computeIfAbsent(messageId, id -> new Parts(new byte[sum][], now));
    if (parts.parts().length != sum) return Optional.empty();
    parts.parts()[seq] = part;
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (byte[] each : parts.parts()) {
      if (each == null) return Optional.empty();
      whole.writeBytes(each);
    }
    waiting.remove(messageId);
    return Optional.of(whole.toByteArray());
  }

  private void dropStale(Instant now) {
    Iterator<Parts> oldestFirst = waiting.values().iterator();
    while (oldestFirst.hasNext()) {
      Parts parts = oldestFirst.next();
      boolean stale = parts.first().plus(KEEP).isBefore(now);
      if (!stale && waiting.size() < MAX_MESSAGES) return;
      oldestFirst.remove();
    }
  }
}
