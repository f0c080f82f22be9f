package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Feishu's per-API quota seen from our side: at most {@code calls} in any {@code window}. A sliding window never
 * exceeds Feishu's fixed window however the two are aligned, and in a burst it admits exactly the quota. Feishu
 * counts a call when it arrives, and calls sent one window apart can arrive closer together, so a slot is free again
 * only a window and {@link #JITTER_SHARE} of it after the call it replaces. The slots plan when calls leave; the
 * sends, counted when each call actually leaves, have the last word, so that a call that left late costs no slot.
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
  /** The last calls sent, oldest first, under their slots' names. */
  private final ArrayDeque<Slot> sends = new ArrayDeque<>();
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
    Instant sendable = nextSend(now, null);
    if (sendable.isAfter(slot)) slot = sendable;
    if (pausedUntil.isAfter(slot)) slot = pausedUntil;
    Duration delay = Duration.between(now, slot);
    if (delay.compareTo(maxWait) > 0) return new QuotaStore.Reservation.Refused(delay.minus(maxWait.dividedBy(2)));
    Slot taken = new Slot(slot, Long.toString(++named));
    slots.addLast(taken);
    while (slots.size() > calls) slots.removeFirst();
    if (delay.isZero()) sent(taken);
    return new QuotaStore.Reservation.Granted(delay, taken.name());
  }

  /** The call of {@code slot} leaves now, unless the sends of the last window are the quota. */
  synchronized QuotaStore.Departure depart(String slot) {
    Instant now = clock.instant();
    Instant sendable = nextSend(now, slot);
    if (pausedUntil.isAfter(sendable)) sendable = pausedUntil;
    if (sendable.isAfter(now)) return new QuotaStore.Departure.Wait(Duration.between(now, sendable));
    sent(new Slot(now, slot));
    // the plan follows the sends: the slots taken from now on count from when this call really left
    if (slots.removeIf(taken -> taken.name().equals(slot))) {
      List<Slot> ordered = new ArrayList<>(slots);
      ordered.add(new Slot(now, slot));
      ordered.sort(Comparator.comparing(Slot::at));
      slots.clear();
      slots.addAll(ordered);
    }
    return new QuotaStore.Departure.Go();
  }

  /** Forgets a slot that was not used, and its send; false when it no longer counts (a window has gone by since). */
  synchronized boolean release(String slot) {
    sends.removeIf(sent -> sent.name().equals(slot));
    return slots.removeIf(taken -> taken.name().equals(slot));
  }

  /** When the quota next allows a send, counting the sends but that of {@code except}. */
  private Instant nextSend(Instant now, String except) {
    Instant[] others = sends.stream().filter(sent -> !sent.name().equals(except)).map(Slot::at).toArray(Instant[]::new);
    if (others.length < calls) return now;
    Instant free = others[others.length - calls].plus(window);
    return free.isAfter(now) ? free : now;
  }

  private void sent(Slot send) {
    sends.removeIf(earlier -> earlier.name().equals(send.name()));
    sends.addLast(send);
    while (sends.size() > calls + 1) sends.removeFirst();
  }

  /** Feishu said the window is spent: send nothing before {@code wait} has passed. */
  synchronized void pauseFor(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(pausedUntil)) pausedUntil = until;
  }

  private record Slot(Instant at, String name) {}
}
