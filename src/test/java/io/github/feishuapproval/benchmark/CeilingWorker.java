package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The engine's ceiling: a job worker on the same Camunda client settings as ours that completes every job at once
 * without calling anything. Not a {@code @Configuration}, so the worker application's component scan passes it by.
 */
@EnableAutoConfiguration
public class CeilingWorker {

  static final String JOB_TYPE = "benchmark-complete-at-once";

  @Bean
  SmartLifecycle completingWorker(CamundaClient camunda, @Value("${benchmark.max-jobs-active}") int maxJobsActive,
      @Value("${benchmark.job-timeout}") Duration jobTimeout) {
    return new SmartLifecycle() {
      private JobWorker worker;

      @Override
      public void start() {
        worker = camunda.newWorker()
            .jobType(JOB_TYPE)
            .handler((client, job) -> client.newCompleteCommand(job.getKey()).send())
            .name("benchmark-ceiling")
            .timeout(jobTimeout)
            .maxJobsActive(maxJobsActive)
            .fetchVariables("approvalTaskId", "userId", "opinion")
            .open();
      }

      @Override
      public void stop() {
        worker.close();
        worker = null;
      }

      @Override
      public boolean isRunning() {
        return worker != null;
      }
    };
  }
}
