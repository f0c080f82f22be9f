package io.github.feishuapproval.worker;

import java.time.Duration;

/**
 * How the job handler paces itself.
 *
 * @param maxInFlight jobs being worked on at once across all operations; activation pauses when reached
 * @param storeRetryWait how long a job waits before it comes back when the shared store could not be reached
 */
public record WorkerSettings(int maxInFlight, Duration defaultRetryBackoff, Duration maxRetryBackoff,
    Duration storeRetryWait) {}
