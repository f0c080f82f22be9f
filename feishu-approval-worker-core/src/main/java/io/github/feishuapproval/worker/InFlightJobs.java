package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Bounds the jobs being worked on, and lets shutdown wait until the last one has been answered. */
final class InFlightJobs {

  private final int capacity;
  private final Semaphore permits;

  InFlightJobs(int capacity) {
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
  }

  /** Waits for room: the only place a handler thread may wait, and it is what slows activation down. */
  void enter() throws InterruptedException {
    permits.acquire();
  }

  void leave() {
    permits.release();
  }

  int current() {
    return capacity - permits.availablePermits();
  }

  /** True when every job has been answered within {@code grace}. */
  boolean awaitIdle(Duration grace) throws InterruptedException {
    if (!permits.tryAcquire(capacity, grace.toMillis(), TimeUnit.MILLISECONDS)) return false;
    permits.release(capacity);
    return true;
  }
}
