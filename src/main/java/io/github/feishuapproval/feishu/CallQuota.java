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

  /**
   * When the caller may send; or, when that is further away than the caller can wait, when to ask again: half the
   * longest wait before the slot would come, so that a job handed back is at hand again, even if the engine is slow to
   * hand it out, before the jobs kept waiting have used up the slots in between.
   */
  sealed interface Reservation {
    record Granted(Duration delay) implements Reservation {}

    record Refused(Duration retryAfter) implements Reservation {}
  }

  /** The share of a window added to it for network jitter: 0.6 s a minute, 20 ms in two seconds. */
  static final double JITTER_SHARE = 0.01;

  private final int calls;
  private final Duration window;
  private final Clock clock;
  private final ArrayDeque<Instant> slots = new ArrayDeque<>();
  private Instant pausedUntil = Instant.MIN;

  CallQuota(int calls, Duration window, Clock clock) {
    if (calls < 1) throw new IllegalArgumentException("a quota needs at least one call per window");
    this.calls = calls;
    this.window = window.plus(Duration.ofNanos((long) (window.toNanos() * JITTER_SHARE)));
    this.clock = clock;
  }

  /** Takes the earliest free slot if it comes within {@code maxWait}. */
  synchronized Reservation reserve(Duration maxWait) {
    Instant now = clock.instant();
    Instant slot = now;
    if (slots.size() >= calls) {
      Instant nthLast = slots.peekFirst();
      Instant free = nthLast.plus(window);
      if (free.isAfter(slot)) slot = free;
    }
    if (pausedUntil.isAfter(slot)) slot = pausedUntil;
    Duration delay = Duration.between(now, slot);
    if (delay.compareTo(maxWait) > 0) return new Reservation.Refused(delay.minus(maxWait.dividedBy(2)));
    slots.addLast(slot);
    while (slots.size() > calls) slots.removeFirst();
    return new Reservation.Granted(delay);
  }

  /** Feishu said the window is spent: send nothing before {@code wait} has passed. */
  synchronized void pauseFor(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(pausedUntil)) pausedUntil = until;
  }
}
