package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged worker while Feishu is slow (every answer takes {@link #FEISHU_LATENCY}), so jobs are in
 * flight. Engine time never moves here: a job still locked to the stopped worker would stay locked for the whole job
 * timeout, and the test would see it.
 */
class GracefulShutdownIT {

  private static final Duration FEISHU_LATENCY = Duration.ofSeconds(2);
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final String JOB_TYPE = "feishu-approval-reject";
  private static final AtomicLong TASK_IDS = new AtomicLong(1785996265400000L);

  private JarTestBed bed;
  private ZeebeTestEngine engine;
  private FeishuSimulator feishu;
  private CamundaClient client;
  private EngineProbe probe;

  @BeforeEach
  void startEngineAndFeishu() {
    bed = JarTestBed.start();
    engine = bed.engine();
    feishu = bed.feishu();
    client = bed.client();
    probe = bed.probe();
    feishu.latency(FEISHU_LATENCY);
  }

  @AfterEach
  void stopEngineAndFeishu() {
    bed.close();
  }

  @Test
  void sigtermStopsTakingJobsAnswersTheJobsInFlightAndExits() {
    try (WorkerProcess worker = WorkerProcess.start(bed.grpcAddress(), feishu)) {
      worker.awaitOutput("Taking jobs of type " + JOB_TYPE, STARTUP);
      List<Long> inFlight = startInstances(4);
      awaitRejectsReceived(4);

      worker.sigterm();
      worker.awaitOutput("Stopped taking jobs", Duration.ofSeconds(10));
      pause(Duration.ofMillis(300));
      List<Long> late = startInstances(2);
      worker.awaitExit(Duration.ofSeconds(30));

      for (long instance : inFlight) {
        assertThat(probe.awaitEnding(instance).endEvent()).as("instance in flight at SIGTERM").contains("TaskRejected");
        assertThat(probe.jobTimeouts(instance)).isEmpty();
      }
      assertThat(feishu.calls()).hasSize(4);
      assertThat(activatableJobsOf(late)).as("jobs created after SIGTERM, free for the next worker at once")
          .hasSize(2);
    }
  }

  private List<Long> startInstances(int count) {
    List<Long> instances = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      instances.add(client.newCreateInstanceCommand().bpmnProcessId("feishu-approval-reject-example").latestVersion()
          .variables(Map.of("approvalTaskId", Long.toString(TASK_IDS.incrementAndGet()), "userId", "1783981209205788"))
          .send().join().getProcessInstanceKey());
    }
    return instances;
  }

  /** Waits until Feishu has begun receiving {@code count} reject calls; its latency keeps them in flight. */
  private void awaitRejectsReceived(int count) {
    probe.await(() -> feishu.requests().stream().filter(r -> r.endsWith("/reject")).count() >= count
        ? Optional.of(true) : Optional.empty(), count + " reject calls to reach Feishu");
  }

  private List<ActivatedJob> activatableJobsOf(List<Long> instances) {
    return client.newActivateJobsCommand().jobType(JOB_TYPE).maxJobsToActivate(10).timeout(Duration.ofMinutes(1))
        .send().join().getJobs().stream()
        .filter(job -> instances.contains(job.getProcessInstanceKey()))
        .toList();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
