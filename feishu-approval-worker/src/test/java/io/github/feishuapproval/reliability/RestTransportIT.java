package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import io.github.feishuapproval.worker.JobOperations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The built jar with the README's self-managed settings and nothing else (a REST and a gRPC address, Camunda's
 * default of preferring REST), against the REST gateway stand-in that holds idle activations open as a gateway does.
 */
class RestTransportIT {

  @Test
  void theJarWithTheReadmesSettingsAnswersEveryJobOverRestWhileAllJobTypesLongPoll() throws Exception {
    try (FeishuSimulator feishu = new FeishuSimulator().start();
        RestJobGateway gateway = new RestJobGateway().start();
        WorkerProcess worker = WorkerProcess.startWith(feishu, List.of(
            "--camunda.client.mode=self-managed",
            "--camunda.client.grpc-address=http://127.0.0.1:1",
            "--camunda.client.rest-address=" + gateway.restAddress()))) {
      var types = JobOperations.ALL.stream().map(o -> o.jobType()).collect(Collectors.toSet());
      gateway.awaitPolling(types, Duration.ofSeconds(60));

      List<Long> jobs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        jobs.add(gateway.createJob("feishu-approval-reject",
            Map.of("approvalTaskId", Long.toString(1785996265500000L + i), "userId", "7"),
            Map.of("resultVariable", "rejectResult")));
        Thread.sleep(700);
      }

      List<Long> latencies = new ArrayList<>();
      for (long job : jobs) {
        RestJobGateway.Command command = gateway.awaitCommand(job, Duration.ofSeconds(30));
        assertThat(command.kind()).isEqualTo("completion");
        assertThat(command.status()).isEqualTo(204);
        assertThat(command.body().path("variables").path("rejectResult").path("code").asInt(-1)).isZero();
        latencies.add(command.sinceActivationNanos() / 1_000_000);
      }
      assertThat(feishu.apiCalls()).isEqualTo(10);
      assertThat(worker.output()).doesNotContain(FeishuSimulator.APP_SECRET);
      System.out.println("REST command latency after activation, ms: " + latencies);
    }
  }
}
