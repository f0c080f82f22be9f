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
   * Whether a slot granted with a delay is still this caller's when its time has come: a shared store takes back the
   * slots of a replica that stopped renewing its lease (it died), so that the others can use them; a caller that was
   * only paused must then take a new slot instead of sending on one another replica may have taken.
   */
  default CompletionStage<Boolean> confirm(QuotaKey quota, Reservation.Granted granted) {
    return java.util.concurrent.CompletableFuture.completedFuture(true);
  }

  /**
   * Gives back a slot the caller took and will not use (it came too late to leave on time), so that the call counts
   * for nothing and the next one may take its place at once; completes false when the slot was no longer there.
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
    /** @param slot the store's name for the slot taken, for {@link #confirm} and {@link #release} */
    record Granted(Duration delay, String slot) implements Reservation {
      public Granted(Duration delay) {
        this(delay, "");
      }
    }

    record Refused(Duration retryAfter) implements Reservation {}
  }

  /**
   * One quota as Feishu counts it: per app, per customer tenant (empty for a self-built app, which has one tenant) and
   * per API.
   */
  record QuotaKey(String appId, String tenantKey, String api) {}
}
