package io.github.feishuapproval.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.client.api.worker.JobWorkerBuilderStep1.JobWorkerBuilderStep3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one job worker per operation, all sharing one handler, and on shutdown stops taking jobs before waiting for
 * the ones in flight to be answered.
 */
final class FeishuJobWorkers {

  private static final Logger log = LoggerFactory.getLogger(FeishuJobWorkers.class);

  private final CamundaClient camunda;
  private final FeishuJobHandler handler;
  private final Duration shutdownGrace;
  private final List<JobSubscription> subscriptions;
  private final List<JobWorker> open = new ArrayList<>();

  public FeishuJobWorkers(CamundaClient camunda, FeishuJobHandler handler, Duration shutdownGrace,
      List<JobSubscription> subscriptions) {
    this.camunda = camunda;
    this.handler = handler;
    this.shutdownGrace = shutdownGrace;
    this.subscriptions = List.copyOf(subscriptions);
  }

  public synchronized void start() {
    for (JobSubscription subscription : subscriptions) {
      JobOperation operation = subscription.operation();
      JobWorkerBuilderStep3 builder = camunda.newWorker()
          .jobType(operation.jobType())
          .handler((client, job) -> handler.handle(subscription, client, job))
          .name(subscription.workerName())
          .timeout(subscription.timeout())
          .maxJobsActive(subscription.maxJobsActive())
          .tenantIds(subscription.tenantIds())
          // pushed jobs would bypass maxJobsActive, the bound the quota's promise rests on
          .streamEnabled(false);
      if (!subscription.fetchVariables().isEmpty()) builder.fetchVariables(subscription.fetchVariables());
      subscription.pollInterval().ifPresent(builder::pollInterval);
      subscription.requestTimeout().ifPresent(builder::requestTimeout);
      open.add(builder.open());
      log.info("Taking jobs of type {} for tenants {} (job timeout {}, up to {} active)", operation.jobType(),
          subscription.tenantIds(), subscription.timeout(), subscription.maxJobsActive());
    }
  }

  /** Stops activating jobs, then waits for every job in flight to be completed, failed or given a BPMN error. */
  public synchronized void stop() {
    open.forEach(JobWorker::close);
    open.clear();
    try {
      int left = handler.jobsInFlight();
      if (left > 0) log.info("Stopped taking jobs; waiting for {} in flight", left);
      if (!handler.awaitIdle(shutdownGrace)) {
        log.warn("{} jobs were still in flight after {}; they return to the engine when their timeout ends",
            handler.jobsInFlight(), shutdownGrace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized boolean isRunning() {
    return !open.isEmpty();
  }
}
