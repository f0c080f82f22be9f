package io.github.feishuapproval.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one job worker per operation, all sharing one handler, and on shutdown stops taking jobs before waiting for
 * the ones in flight to be answered.
 */
public final class FeishuJobWorkers {

  private static final Logger log = LoggerFactory.getLogger(FeishuJobWorkers.class);

  private final CamundaClient camunda;
  private final FeishuJobHandler handler;
  private final WorkerSettings settings;
  private final List<JobOperation> operations;
  private final List<JobWorker> open = new ArrayList<>();

  public FeishuJobWorkers(CamundaClient camunda, FeishuJobHandler handler, WorkerSettings settings,
      List<JobOperation> operations) {
    this.camunda = camunda;
    this.handler = handler;
    this.settings = settings;
    this.operations = List.copyOf(operations);
  }

  public synchronized void start() {
    for (JobOperation operation : operations) {
      open.add(camunda.newWorker()
          .jobType(operation.jobType())
          .handler((client, job) -> handler.handle(operation, client, job))
          .name(settings.workerName())
          .timeout(settings.jobTimeout())
          .maxJobsActive(settings.maxJobsActive())
          .fetchVariables(operation.variableNames())
          .open());
      log.info("Taking jobs of type {} (job timeout {}, up to {} active)", operation.jobType(),
          settings.jobTimeout(), settings.maxJobsActive());
    }
  }

  /** Stops activating jobs, then waits for every job in flight to be completed, failed or given a BPMN error. */
  public synchronized void stop() {
    open.forEach(JobWorker::close);
    open.clear();
    try {
      int left = handler.jobsInFlight();
      if (left > 0) log.info("Stopped taking jobs; waiting for {} in flight", left);
      if (!handler.awaitIdle(settings.shutdownGrace())) {
        log.warn("{} jobs were still in flight after {}; they return to the engine when their timeout ends",
            handler.jobsInFlight(), settings.shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized boolean isRunning() {
    return !open.isEmpty();
  }
}
