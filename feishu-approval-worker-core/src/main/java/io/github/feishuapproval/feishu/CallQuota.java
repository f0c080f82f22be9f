package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Feishu's per-API quota seen from our side: at most {@code calls} in any {@code window}. A sliding window never
 * exceeds Feishu's fixed window however the two are aligned, and in a burst it admits exactly the quota. Feishu
 * counts a call when it arrives, and calls sent one window apart can arrive closer together, so a slot is free again
 * only a window and {@link #JITTER_SHARE} of it after the call it replaces.
 */
final class CallQuota {

  /** The share of a window added to it for network jitter: 0.6 s a minute, 20 ms in two seconds. */
  static final double JITTER_SHARE = 0.01;

  /** How long after a call its slot is free again, in this process or in a shared store. */
  static Duration reuseAfter(Duration window) {
    return window.plus(Duration.ofNanos((long) (window.toNanos() * JITTER_SHARE)));
  }

  private final int calls;
  private final Duration window;
  private final Clock clock;
  /** The last slots taken, oldest first, each under a name of its own so that one can be given back. */
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private long named;
  private Instant pausedUntil = Instant.MIN;

  CallQuota(int calls, Duration window, Clock clock) {
    if (calls < 1) throw new IllegalArgumentException("a quota needs at least one call per window");
    this.calls = calls;
    this.window = reuseAfter(window);
    this.clock = clock;
  }

  /** Takes the earliest free slot if it comes within {@code maxWait}. */
  synchronized QuotaStore.Reservation reserve(Duration maxWait) {
    Instant now = clock.instant();
    Instant slot = now;
    if (slots.size() >= calls) {
      Instant nthLast = slots.peekFirst().at();
      Instant free = nthLast.plus(window);
      if (free.isAfter(slot)) slot = free;
    }
    if (pausedUntil.isAfter(slot)) slot = pausedUntil;
    Duration delay = Duration.between(now, slot);
    if (delay.compareTo(maxWait) > 0) return new QuotaStore.Reservation.Refused(delay.minus(maxWait.dividedBy(2)));
    Slot taken = new Slot(slot, Long.toString(++named));
    slots.addLast(taken);
    while (slots.size() > calls) slots.removeFirst();
    return new QuotaStore.Reservation.Granted(delay, taken.name());
  }

  /** Forgets a slot that was not used; false when it no longer counts (a window has gone by since). */
  synchronized boolean release(String slot) {
    return slots.removeIf(taken -> taken.name().equals(slot));
  }

  /** Feishu said the window is spent: send nothing before {@code wait} has passed. */
  synchronized void pauseFor(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(pausedUntil)) pausedUntil = until;
  }

  private record Slot(Instant at, String name) {}
}
