package io.github.feishuapproval.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every outcome of the outcome table, answered over REST as the gateway documents its job endpoints. */
class RestJobCommandsTest extends RestTransportSupport {

  private static final String REJECT = "feishu-approval-reject";
  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  private static final RestJobGateway GATEWAY = new RestJobGateway().start();
  private static final AtomicLong TASKS = new AtomicLong(1785996265300000L);

  @DynamicPropertySource
  static void wire(DynamicPropertyRegistry registry) {
    overRest(registry, GATEWAY, FEISHU);
  }

  @BeforeEach
  void everyJobTypeLongPolls() {
    FEISHU.reset();
    GATEWAY.awaitPolling(ALL_TYPES, WAIT);
  }

  @Test
  void successCompletesWithTheResultVariable() {
    String task = nextTask();
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", task, "userId", "1783981209205788", "opinion", "拒绝"),
        Map.of("resultVariable", "rejectResult"));

    RestJobGateway.Command command = GATEWAY.awaitCommand(job, WAIT);

    assertThat(command.kind()).isEqualTo("completion");
    assertThat(command.status()).isEqualTo(204);
    assertThat(command.body().path("variables").path("rejectResult").path("code").asInt(-1)).isZero();
    assertThat(command.body().path("variables").path("rejectResult").path("logId").asText()).endsWith("SIM");
    assertThat(FEISHU.callsFor(task)).singleElement().satisfies(call ->
        assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"拒绝\"}"));
  }

  @Test
  void successWithoutResultVariableCompletesWithoutVariables() {
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", nextTask(), "userId", "7"), Map.of());

    RestJobGateway.Command command = GATEWAY.awaitCommand(job, WAIT);

    assertThat(command.kind()).isEqualTo("completion");
    assertThat(command.body().path("variables").isMissingNode() || command.body().path("variables").isEmpty()).isTrue();
  }

  @Test
  void aFeishuBusinessErrorIsThrownWithItsCodeAndTheThreeVariables() {
    String task = nextTask();
    FEISHU.script(task, Fault.paramInvalid());
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", task, "userId", "7"), Map.of());

    RestJobGateway.Command command = GATEWAY.awaitCommand(job, WAIT);

    assertThat(command.kind()).isEqualTo("error");
    assertThat(command.body().path("errorCode").asText()).isEqualTo("2320001");
    assertThat(command.body().path("errorMessage").asText()).contains("param is invalid", "log id");
    assertThat(command.body().path("variables").path("feishuErrorCode").asInt()).isEqualTo(2320001);
    assertThat(command.body().path("variables").path("feishuErrorMsg").asText()).isEqualTo("param is invalid");
    assertThat(command.body().path("variables").path("feishuLogId").asText()).endsWith("SIM");
  }

  @Test
  void aTransientFailureFailsWithOneRetryLessAndTheBackoffThenSucceeds() {
    String task = nextTask();
    FEISHU.script(task, Fault.badGateway());
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", task, "userId", "7"), Map.of("retryBackoff", "PT7S"));

    RestJobGateway.Command failure = GATEWAY.awaitCommand(job, WAIT);
    assertThat(failure.kind()).isEqualTo("failure");
    assertThat(failure.body().path("retries").asInt()).isEqualTo(2);
    assertThat(failure.body().path("retryBackOff").asLong()).isEqualTo(7000);
    assertThat(failure.body().path("errorMessage").asText()).contains("HTTP 502", "log id", "will retry");

    GATEWAY.skipBackoff(job);
    assertThat(GATEWAY.awaitCommand(job, 2, WAIT).kind()).isEqualTo("completion");
    assertThat(FEISHU.callsFor(task)).hasSize(2);
  }

  @Test
  void aRateLimitHandsTheJobBackWithTheSameRetriesAndFeishusResetAsBackoff() {
    String task = nextTask();
    FEISHU.script(task, Fault.rateLimited(4));
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", task, "userId", "7"), Map.of());

    RestJobGateway.Command handBack = GATEWAY.awaitCommand(job, WAIT);

    assertThat(handBack.kind()).isEqualTo("failure");
    assertThat(handBack.body().path("retries").asInt()).isEqualTo(3);
    assertThat(handBack.body().path("retryBackOff").asLong()).isEqualTo(4000);
    assertThat(handBack.body().path("errorMessage").asText()).contains("without spending a retry");
  }

  @Test
  void badInputIsAnIncidentNamingTheVariableWithoutAnyFeishuCall() {
    long before = FEISHU.apiCalls();
    long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", "../auth", "userId", true), Map.of());

    RestJobGateway.Command incident = GATEWAY.awaitCommand(job, WAIT);

    assertThat(incident.kind()).isEqualTo("failure");
    assertThat(incident.body().path("retries").asInt()).isZero();
    assertThat(incident.body().path("errorMessage").asText())
        .contains("approvalTaskId may contain only", "userId must be a string or an integer", "Nothing was sent");
    assertThat(FEISHU.apiCalls()).isEqualTo(before);
  }

  @Test
  void aJobThatTimedOutAndWentToAnotherWorkerIsAnswered404AndLeftAloneLoggingOnce() {
    commandRefusedWhileFeishuIsAnswering(true, 404, "no longer has this job");
  }

  @Test
  void aJobAnotherWorkerFailedMeanwhileIsAnswered409AndLeftAloneLoggingOnce() {
    commandRefusedWhileFeishuIsAnswering(false, 409, "in a state that does not take this command");
  }

  @Test
  void noCommandWaitsBehindTheLongPollsOfTheIdleJobTypes() {
    List<Long> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", nextTask(), "userId", "7"), Map.of());
      jobs.add(job);
      GATEWAY.awaitCommand(job, WAIT);
    }
    Set<String> idle = new HashSet<>(ALL_TYPES);
    idle.remove(REJECT);

    for (long job : jobs) {
      // every other job type still had its poll open: the command did not need one of their connections
      assertThat(GATEWAY.commandsFor(job).getFirst().pollsOpen()).containsAll(idle);
    }
    // and no idle poll was ended to make room: the gateway holds each for a minute, and none came back
    assertThat(GATEWAY.activations()).filteredOn(a -> idle.contains(a.type())).isEmpty();
  }

  private void commandRefusedWhileFeishuIsAnswering(boolean otherWorkerCompletes, int status, String logged) {
    Logger logger = (Logger) LoggerFactory.getLogger("io.github.feishuapproval.worker.FeishuJobHandler");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      String task = nextTask();
      FEISHU.script(task, Fault.slow(Duration.ofSeconds(2)));
      long job = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", task, "userId", "7"), Map.of());
      awaitFeishuCall(task);
      GATEWAY.handToAnotherWorker(job, otherWorkerCompletes);

      assertThat(GATEWAY.awaitCommand(job, WAIT).status()).isEqualTo(status);
      // a later job is answered: the worker went on, and it did not send the refused command again meanwhile
      long next = GATEWAY.createJob(REJECT, Map.of("approvalTaskId", nextTask(), "userId", "7"), Map.of());
      assertThat(GATEWAY.awaitCommand(next, WAIT).status()).isEqualTo(204);
      assertThat(GATEWAY.commandsFor(job)).hasSize(1);
      assertThat(captured.list).filteredOn(e -> e.getLevel() == Level.WARN
          && e.getFormattedMessage().contains("job " + job)).singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains(logged));
    } finally {
      logger.detachAppender(captured);
    }
  }

  private static void awaitFeishuCall(String task) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (FEISHU.callsFor(task).isEmpty()) {
      if (System.nanoTime() > deadline) throw new AssertionError("Feishu never got the call for " + task);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String nextTask() {
    return Long.toString(TASKS.incrementAndGet());
  }
}
