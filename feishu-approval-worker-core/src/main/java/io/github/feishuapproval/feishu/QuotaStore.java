package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Where Feishu's quotas are counted: in this process, or in a store every replica of the worker shares. Each quota
 * allows the configured calls in any window; a slot is free again {@link #slotReuse} after the call it replaces. A
 * store that cannot be reached fails the stage, and the call is then not made.
 */
public interface QuotaStore extends AutoCloseable {

  /** The quotas of this process alone: what a single replica needs. */
  static QuotaStore inProcess(int calls, Duration window, java.time.Clock clock) {
    return new LocalQuotaStore(calls, window, clock);
  }

  /** Takes the earliest free slot of {@code quota} if it comes within {@code maxWait}. */
  CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait);

  /** Feishu said the quota's window is spent: no call of it is sent, by anyone, before {@code wait} has passed. */
  CompletionStage<Void> pause(QuotaKey quota, Duration wait);

  /**
   * The call of a slot whose time has come is about to leave: the store counts it as sent now, if no window of sends
   * would then hold more than the quota, and says {@link Departure.Go}. A call that left later than its slot (a busy
   * machine, a paused JVM, a slow store) thus costs no slot: it waits only as long as the sends before it require
   * ({@link Departure.Wait}). Asked again for the same slot, the store moves its send to now. A shared store takes back
   * the slots of a replica that stopped renewing its lease (it died), so that the others can use them
   * ({@link Departure.TakenBack}); the caller then takes a new slot.
   */
  CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted);
  /**
   * Gives back a slot the caller took and will not use (the call gave up waiting), with its send if it had one, so that
   * the call counts for nothing and the next one may take its place at once; completes false when the slot was no
   * longer there.
   */
  CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted);

  @Override
  default void close() {}

  /** How long after a call its slot is free again: a window and 1 % of it, as every store counts. */
  static Duration slotReuse(Duration window) {
    return CallQuota.reuseAfter(window);
  }

  /**
   * When the caller may send; or, when that is further away than the caller can wait, when to ask again: half the
   * longest wait before the slot would come, so that a job handed back is at hand again, even if the engine is slow to
   * hand it out, before the jobs kept waiting have used up the slots in between.
   */
  sealed interface Reservation {
    /**
     * @param slot the store's name for the slot taken, for {@link #depart} and {@link #release}; a slot granted without
     *     delay is counted as sent when it was granted
     */
    record Granted(Duration delay, String slot) implements Reservation {
      public Granted(Duration delay) {
        this(delay, "");
      }
    }

    record Refused(Duration retryAfter) implements Reservation {}
  }

  /** Whether the call of a slot may leave now. */
  sealed interface Departure {
    /** Counted as sent now: leave at once. */
    record Go() implements Departure {}

    /** The sends of the last window are the quota: ask again after {@code duration}. */
    record Wait(Duration duration) implements Departure {}

    /** The slot is no longer the caller's: take another. */
    record TakenBack() implements Departure {}
  }

  /**
   * One quota as Feishu counts it: per app, per customer tenant (empty for a self-built app, which has one tenant) and
   * per API.
   */
  record QuotaKey(String appId, String tenantKey, String api) {}
}
