package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The engine's ceiling: a job worker on the same Camunda client settings as ours that completes every job at once
 * without calling anything. A second job type is completed only after {@code benchmark.hold}, without any HTTP: what
 * the engine itself does when every job stays out as long as a Feishu call takes. Not a {@code @Configuration}, so the
 * worker application's component scan passes it by.
 */
@EnableAutoConfiguration
public class CeilingWorker {

  static final String JOB_TYPE = "benchmark-complete-at-once";
  static final String HELD_JOB_TYPE = "benchmark-complete-after-hold";

  @Bean
  SmartLifecycle completingWorker(CamundaClient camunda, @Value("${benchmark.max-jobs-active}") int maxJobsActive,
      @Value("${benchmark.job-timeout}") Duration jobTimeout, @Value("${benchmark.hold}") Duration hold) {
    return new SmartLifecycle() {
      private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
      private JobWorker worker;
      private JobWorker held;

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
        held = camunda.newWorker()
            .jobType(HELD_JOB_TYPE)
            .handler((client, job) -> later.schedule(() -> client.newCompleteCommand(job.getKey()).send(),
                hold.toMillis(), TimeUnit.MILLISECONDS))
            .name("benchmark-ceiling-held")
            .timeout(jobTimeout)
            .maxJobsActive(maxJobsActive)
            .fetchVariables("approvalTaskId", "userId", "opinion")
            .open();
      }

      @Override
      public void stop() {
        worker.close();
        held.close();
        later.shutdownNow();
        worker = null;
        held = null;
      }

      @Override
      public boolean isRunning() {
        return worker != null;
      }
    };
  }
}
