package io.github.feishuapproval.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often refused pushes are logged: at most one line per key (a configured app, or all unknown names together)
 * and interval, the next one counting those left out, so that a flood of bad pushes cannot flood the log.
 */
final class RefusalLog {

  private final Clock clock;
  private final Duration interval;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Keys must come from a bounded set: each keeps a small window for the life of the process. */
  RefusalLog(Clock clock, Duration interval) {
    this.clock = clock;
    this.interval = interval;
  }

  /** A refusal under {@code key}: the number left out since the last line when this one is to be logged, else empty. */
  OptionalLong admit(String key) {
    return windows.computeIfAbsent(key, k -> new Window()).admit(clock.instant());
  }

  private final class Window {
    private Instant lastLogged;
    private long leftOut;

    synchronized OptionalLong admit(Instant now) {
      if (lastLogged != null && now.isBefore(lastLogged.plus(interval)) && !now.isBefore(lastLogged)) {
        leftOut++;
        return OptionalLong.empty();
      }
      long unlogged = leftOut;
      lastLogged = now;
      leftOut = 0;
      return OptionalLong.of(unlogged);
    }
  }
}
