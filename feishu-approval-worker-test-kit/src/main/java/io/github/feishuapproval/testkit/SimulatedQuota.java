package io.github.feishuapproval.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feishu's gateway limit as the simulator applies it: each API admits at most {@code calls} in every fixed window,
 * the windows aligned to the epoch as Feishu's per-minute limit is aligned to the minute. Off until set.
 */
final class SimulatedQuota {

  private record Window(long index, int spent) {}

  private final Map<String, Window> windows = new HashMap<>();
  private final AtomicLong refusals = new AtomicLong();
  private int calls;
  private long windowMillis;

  synchronized void limit(int calls, Duration window) {
    if (calls < 1 || window.toMillis() < 1) throw new IllegalArgumentException("a quota needs calls and a window");
    this.calls = calls;
    this.windowMillis = window.toMillis();
    windows.clear();
  }

  synchronized void off() {
    calls = 0;
    windows.clear();
  }

  synchronized int calls() {
    return calls;
  }

  /** Counts one call to {@code api} at {@code now}: empty when admitted, else the seconds until the window ends. */
  synchronized OptionalLong spend(String api, Instant now) {
    if (calls == 0) return OptionalLong.empty();
    long millis = now.toEpochMilli();
    long index = Math.floorDiv(millis, windowMillis);
    Window current = windows.get(api);
    int spent = current != null && current.index() == index ? current.spent() : 0;
    if (spent < calls) {
      windows.put(api, new Window(index, spent + 1));
      return OptionalLong.empty();
    }
    refusals.incrementAndGet();
    long left = (index + 1) * windowMillis - millis;
    return OptionalLong.of(Math.max(1, (left + 999) / 1000));
  }

  long refusals() {
    return refusals.get();
  }
}
