package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.testkit.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feishu that never finishes answering, at each step of a job: the worker's own HTTP timeouts must end the call and
 * the worker must hand the job back as a transient failure while the job is still locked to it, so the engine never
 * has to take the job back by its timeout (15 s here; read timeout 1.5 s, call timeout 3 s). The simulator holds each
 * answer for 30 s, far past the job timeout.
 */
class HttpTimeoutTest extends ReliabilityTestSupport {

  private static final Duration STALL = Duration.ofSeconds(30);
  private static final Duration TRICKLE = Duration.ofMillis(300);

  private record Stall(List<Fault> task, List<Fault> tokenEndpoint) {}

  static Stream<Arguments> stalls() {
    return Stream.of(
        stall("approval call whose headers never come", List.of(Fault.slow(STALL)), List.of()),
        stall("approval call whose body trickles without end", List.of(new Fault.Trickle(TRICKLE)), List.of()),
        stall("token fetch whose headers never come", List.of(Fault.expireToken()), List.of(Fault.slow(STALL))),
        stall("token fetch whose body trickles without end", List.of(Fault.expireToken()),
            List.of(new Fault.Trickle(TRICKLE))));
  }

  @ParameterizedTest
  @MethodSource("stalls")
  void stalledCallEndsByTheWorkersTimeoutWellBeforeTheJobTimeout(Stall stall) {
    String task = newTaskId();
    FEISHU.script(task, stall.task().toArray(Fault[]::new));
    FEISHU.scriptTokenEndpoint(stall.tokenEndpoint().toArray(Fault[]::new));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", "1783981209205788"));

    JobRecordValue failure = PROBE.awaitJobFailures(instance, 1).getFirst();

    assertThat(failure.getErrorMessage()).contains("timed out", "will retry");
    assertThat(failure.getRetries()).isEqualTo(2);
    assertThat(PROBE.jobTimeouts(instance)).as("jobs the engine had to take back").isEmpty();
    ENGINE.increaseTime(Duration.ofSeconds(11));
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobTimeouts(instance)).isEmpty();
  }

  private static Arguments stall(String name, List<Fault> task, List<Fault> tokenEndpoint) {
    return Arguments.of(Named.of(name, new Stall(task, tokenEndpoint)));
  }
}
