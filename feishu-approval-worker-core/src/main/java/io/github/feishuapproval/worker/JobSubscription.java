package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the worker of one operation asks the gateway for jobs.
 *
 * @param fetchVariables the variables to fetch; empty fetches all of them
 * @param pollInterval how long an idle worker waits between activations; empty for the client's default
 * @param requestTimeout how long the gateway may hold an activation open (long polling); empty for the client's default
 * @param tenantIds the Camunda tenants whose jobs the worker takes
 */
public record JobSubscription(JobOperation operation, String workerName, Duration timeout, int maxJobsActive,
    List<String> fetchVariables, Optional<Duration> pollInterval, Optional<Duration> requestTimeout,
    List<String> tenantIds) {

  public JobSubscription {
    fetchVariables = List.copyOf(fetchVariables);
    tenantIds = List.copyOf(tenantIds);
  }
}
