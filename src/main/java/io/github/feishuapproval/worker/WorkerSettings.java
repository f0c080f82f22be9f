package io.github.feishuapproval.worker;

import java.time.Duration;

/**
 * How the job workers poll and pace themselves.
 *
 * @param maxInFlight jobs being worked on at once across all operations; activation pauses when reached
 * @param shutdownGrace how long a stopping worker waits for jobs in flight to finish
 */
public record WorkerSettings(
    String workerName,
    Duration jobTimeout,
    int maxJobsActive,
    int maxInFlight,
    Duration defaultRetryBackoff,
    Duration maxRetryBackoff,
    Duration shutdownGrace) {}
