package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of fault the simulator can inject, through the engine, against the README's outcome table: transient
 * faults spend one retry each, rate limits spend none, a rejected token is replaced within the same job,
 * configuration errors are incidents at once and business errors are BPMN errors. The example process has 3 retries
 * and a first backoff of 10 s.
 */
class OutcomeContractTest extends ReliabilityTestSupport {

  private static final String USER = "1783981209205788";
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);

  /** Faults for the task's calls and for the token endpoint, and a word the failure message must contain. */
  private record Faults(List<Fault> task, List<Fault> tokenEndpoint, String cause) {}

  static Stream<Arguments> transientFaults() {
    return Stream.of(
        named("HTTP 500, code 2320002", List.of(Fault.internalError()), List.of(), "2320002"),
        named("gateway's HTML page, HTTP 502", List.of(Fault.badGateway()), List.of(), "HTTP 502"),
        named("HTTP 200 that is not JSON", List.of(new Fault.RawHttp(200, "text/html", "<html>maintenance</html>")),
            List.of(), "not Feishu JSON"),
        named("HTTP 200 with an empty body", List.of(new Fault.RawHttp(200, "application/json", "")), List.of(),
            "empty body"),
        named("unknown code with HTTP 503", List.of(Fault.code(503, 777, "busy")), List.of(), "HTTP 503"),
        named("connection reset before the answer", List.of(Fault.disconnect()), List.of(), "connection"),
        named("body cut off half way", List.of(Fault.halfBody()), List.of(), "connection"),
        named("token endpoint fails with code 10013", List.of(Fault.expireToken()),
            List.of(Fault.code(500, 10013, "get tenant access token failed")), "10013"),
        named("token endpoint drops the connection", List.of(Fault.expireToken()), List.of(Fault.disconnect()),
            "token fetch"),
        named("token endpoint answers a gateway page", List.of(Fault.expireToken()), List.of(Fault.badGateway()),
            "HTTP 502"));
  }

  @ParameterizedTest
  @MethodSource("transientFaults")
  void transientFaultSpendsOneRetryAndTheRetryAfterTheBackoffSucceeds(Faults faults) {
    long instance = startWith(faults);

    JobRecordValue failure = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(2);
    assertThat(failure.getRetryBackoff()).isEqualTo(FIRST_BACKOFF.toMillis());
    assertThat(failure.getErrorMessage()).contains(faults.cause(), "will retry").containsPattern("log id");
    ENGINE.increaseTime(FIRST_BACKOFF.plusSeconds(1));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobFailures(instance)).hasSize(1);
  }

  @Test
  void transientFaultsUntilRetriesRunOutEndInAnIncidentAfterDoublingBackoffs() {
    String task = newTaskId();
    FEISHU.script(task, Fault.internalError(), Fault.disconnect(), Fault.badGateway());
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    PROBE.awaitJobFailures(instance, 1);
    ENGINE.increaseTime(FIRST_BACKOFF.plusSeconds(1));
    PROBE.awaitJobFailures(instance, 2);
    ENGINE.increaseTime(FIRST_BACKOFF.multipliedBy(2).plusSeconds(1));

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains("HTTP 502", "no retries left");
    assertThat(PROBE.jobFailures(instance)).extracting(JobRecordValue::getRetries).containsExactly(2, 1, 0);
    assertThat(PROBE.jobFailures(instance)).extracting(JobRecordValue::getRetryBackoff)
        .startsWith(10_000L, 20_000L);
    assertThat(FEISHU.callsFor(task)).hasSize(3);
  }

  static Stream<Arguments> rateLimits() {
    return Stream.of(
        Arguments.of(Named.of("HTTP 429 with reset 2 s", Fault.rateLimited(2)), 2_000L),
        Arguments.of(Named.of("code 1000004 without reset header", Fault.code(400, 1000004, "method rate limited")),
            3_000L),
        Arguments.of(Named.of("code 1000005 with HTTP 200", Fault.code(200, 1000005, "app rate limited")), 3_000L));
  }

  @ParameterizedTest
  @MethodSource("rateLimits")
  void rateLimitedFiveTimesInARowNeverSpendsARetryAndWaitsWhatFeishuSays(Fault limit, long waitMillis) {
    String task = newTaskId();
    FEISHU.script(task, limit, limit, limit, limit, limit);
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    for (int failures = 1; failures <= 5; failures++) {
      PROBE.awaitJobFailures(instance, failures);
      ENGINE.increaseTime(Duration.ofMillis(waitMillis).plusSeconds(1));
    }

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobFailures(instance)).hasSize(5).allSatisfy(failure -> {
      assertThat(failure.getRetries()).isEqualTo(3);
      assertThat(failure.getRetryBackoff()).isEqualTo(waitMillis);
      assertThat(failure.getErrorMessage()).contains("without spending a retry");
    });
    assertThat(FEISHU.callsFor(task)).hasSize(6);
  }

  @Test
  void rateLimitsBetweenTransientFaultsLeaveTheRetryCountToTheTransientOnes() {
    String task = newTaskId();
    FEISHU.script(task, Fault.internalError(), Fault.rateLimited(2), Fault.disconnect(), Fault.rateLimited(2));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    List<Duration> waits = List.of(FIRST_BACKOFF, Duration.ofSeconds(2), FIRST_BACKOFF.multipliedBy(2),
        Duration.ofSeconds(2));
    for (int i = 0; i < waits.size(); i++) {
      PROBE.awaitJobFailures(instance, i + 1);
      ENGINE.increaseTime(waits.get(i).plusSeconds(1));
    }

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    assertThat(PROBE.jobFailures(instance)).extracting(JobRecordValue::getRetries).containsExactly(2, 2, 1, 1);
  }

  @Test
  void rateLimitedTokenEndpointWaitsWithoutSpendingARetry() {
    String task = newTaskId();
    FEISHU.script(task, Fault.expireToken());
    FEISHU.scriptTokenEndpoint(Fault.rateLimited(2));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    JobRecordValue failure = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(failure.getRetries()).isEqualTo(3);
    assertThat(failure.getRetryBackoff()).isEqualTo(2_000L);
    ENGINE.increaseTime(Duration.ofSeconds(3));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
  }

  static Stream<Arguments> rejectedTokens() {
    return Stream.of(
        Arguments.of(Named.of("token expired at Feishu", Fault.expireToken())),
        Arguments.of(Named.of("code 99991663", Fault.code(400, 99991663, "Invalid access token for authorization"))),
        Arguments.of(Named.of("code 99991671 with HTTP 200", Fault.code(200, 99991671, "token format invalid"))));
  }

  @ParameterizedTest
  @MethodSource("rejectedTokens")
  void tokenRejectedByFeishuIsReplacedAndTheSameJobSucceedsWithoutSpendingARetry(Fault rejection) {
    PROBE.awaitEnding(start(EXAMPLE_PROCESS, Map.of("approvalTaskId", newTaskId(), "userId", USER)));
    String task = newTaskId();
    FEISHU.script(task, rejection);
    long fetchesBefore = FEISHU.tokenFetches();
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("TaskRejected");
    List<FeishuSimulator.Call> calls = FEISHU.callsFor(task);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).authorization()).startsWith("Bearer t-").isNotEqualTo(calls.get(0).authorization());
    assertThat(FEISHU.tokenFetches() - fetchesBefore).isEqualTo(1);
    assertThat(PROBE.jobFailures(instance)).isEmpty();
  }

  @Test
  void tokenRejectedAgainAfterReplacementIsAnIncidentNamingTheCredentials() {
    String task = newTaskId();
    FEISHU.script(task, Fault.expireToken(), Fault.expireToken());
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    String incident = PROBE.awaitEnding(instance).incident().orElseThrow();
    assertThat(incident).contains("99991663", "FEISHU_APP_ID", "log id");
    assertThat(FEISHU.callsFor(task)).hasSize(2);
    assertThat(PROBE.jobFailures(instance)).singleElement().extracting(JobRecordValue::getRetries).isEqualTo(0);
  }

  @Test
  void wrongSecretAtTheTokenEndpointIsAnIncidentAtOnceAndNoApprovalCallIsMade() {
    String task = newTaskId();
    FEISHU.script(task, Fault.expireToken());
    FEISHU.scriptTokenEndpoint(Fault.code(400, 10015, "app secret invalid"));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    String incident = PROBE.awaitEnding(instance).incident().orElseThrow();
    assertThat(incident).contains("10015", "FEISHU_APP_SECRET");
    assertThat(FEISHU.callsFor(task)).hasSize(1);
    assertThat(PROBE.jobFailures(instance)).singleElement().extracting(JobRecordValue::getRetries).isEqualTo(0);
  }

  @ParameterizedTest
  @ValueSource(ints = {99991401, 99991403, 99991673})
  void configurationCodeIsAnIncidentAtOnceSayingWhatToFix(int code) {
    String task = newTaskId();
    FEISHU.script(task, Fault.code(400, code, "denied"));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains(Integer.toString(code), "To fix:", "log id");
    assertThat(PROBE.jobFailures(instance)).singleElement().extracting(JobRecordValue::getRetries).isEqualTo(0);
    assertThat(FEISHU.callsFor(task)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {2320003, 2320005, 2320006, 1234567})
  void businessCodeIsABpmnErrorCaughtByTheCatchAllWithoutRetrying(int code) {
    String task = newTaskId();
    FEISHU.script(task, Fault.code(code == 1234567 ? 200 : 400, code, "refused"));
    long instance = start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("OtherFeishuErrorHandled");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains(Integer.toString(code));
    assertThat(PROBE.jobFailures(instance)).isEmpty();
    assertThat(FEISHU.callsFor(task)).hasSize(1);
  }

  private long startWith(Faults faults) {
    String task = newTaskId();
    FEISHU.script(task, faults.task().toArray(Fault[]::new));
    FEISHU.scriptTokenEndpoint(faults.tokenEndpoint().toArray(Fault[]::new));
    return start(EXAMPLE_PROCESS, Map.of("approvalTaskId", task, "userId", USER));
  }

  private static Arguments named(String name, List<Fault> task, List<Fault> tokenEndpoint, String cause) {
    return Arguments.of(Named.of(name, new Faults(task, tokenEndpoint, cause)));
  }
}
