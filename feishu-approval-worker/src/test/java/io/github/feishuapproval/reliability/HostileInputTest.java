package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Process data an attacker or a broken expression controls. Nothing of it may reach Feishu as a path or choose where
 * the worker sends its requests, and every refusal is an incident that names the variable without repeating the
 * value.
 */
class HostileInputTest extends ReliabilityTestSupport {

  private static final String USER = "1783981209205788";
  private static final int LONGEST_CLEAR_INCIDENT = 600;

  private static final List<String> HOSTILE_TASK_IDS = List.of(
      "../../open-apis/auth/v3/tenant_access_token/internal", "..", ".", "../", "a/../../b", "a/b",
      "%2e%2e/", "%2e%2e%2f%2e%2e", "..%2fauth", "%2F", "\\..\\..",
      "?x=", "123?user_id=1", "#", "123#fragment",
      "123 456", " 123", "123\n", "123\r\nX-Injected: 1", "123\t", "\u0000",
      "任务123", "１２３", "123\u202e", "123\u2028", "１／２", "ａ..",
      "https://evil.example/x", "//evil.example", "@evil.example", "123;rm",
      "x".repeat(10_000), "1".repeat(129), "", "   ");

  @Test
  void hostileTaskIdsBecomeIncidentsAndNeverReachTheNetwork() {
    int requestsBefore = FEISHU.requests().size();
    Map<Long, String> instances = new LinkedHashMap<>();
    for (String hostile : HOSTILE_TASK_IDS) {
      instances.put(start(QUICK_PROCESS, Map.of("approvalTaskId", hostile, "userId", USER)), hostile);
    }
    String control = newTaskId();
    long controlInstance = start(QUICK_PROCESS, Map.of("approvalTaskId", control, "userId", USER));

    SoftAssertions softly = new SoftAssertions();
    instances.forEach((instance, hostile) -> {
      String shown = hostile.length() > 40 ? hostile.substring(0, 40) + "... (" + hostile.length() + " chars)"
          : hostile;
      String incident = PROBE.awaitEnding(instance).incident().orElse("no incident");
      softly.assertThat(incident).as("incident for %s", shown)
          .startsWith("Bad input for feishu-approval-reject: approvalTaskId")
          .contains("Nothing was sent to Feishu");
      softly.assertThat(incident.length()).as("length of the incident for %s", shown)
          .isLessThan(LONGEST_CLEAR_INCIDENT);
    });
    softly.assertAll();
    assertThat(PROBE.awaitEnding(controlInstance).endEvent()).contains("Rejected");
    assertThat(FEISHU.requests().subList(requestsBefore, FEISHU.requests().size())).as("requests Feishu received")
        .allMatch(request -> request.equals("POST " + FeishuSimulator.TOKEN_PATH)
            || request.equals("POST /open-apis/apaas/v1/approval_tasks/" + control + "/reject"))
        .contains("POST /open-apis/apaas/v1/approval_tasks/" + control + "/reject");
  }

  @Test
  void wrongTypesNullsAndHugeOpinionsAreIncidentsNamingEachVariable() {
    Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
    cases.put("approvalTaskId is missing", variables(null, USER, null));
    cases.put("approvalTaskId must be a string or an integer, got a boolean", variables(true, USER, null));
    cases.put("approvalTaskId must be a string or an integer, got a list", variables(List.of(1), USER, null));
    cases.put("approvalTaskId must be a string or an integer, got an object", variables(Map.of("id", 1), USER, null));
    cases.put("approvalTaskId must be an integer or a string, got the fraction 1.5", variables(1.5, USER, null));
    cases.put("approvalTaskId may not be negative", variables(-5, USER, null));
    cases.put("userId is missing", variables(newTaskId(), null, null));
    cases.put("userId must be a string or an integer, got a boolean", variables(newTaskId(), false, null));
    cases.put("userId may not contain spaces or control characters", variables(newTaskId(), "1783 981", null));
    cases.put("userId is blank", variables(newTaskId(), "  ", null));
    cases.put("userId is 129 characters long", variables(newTaskId(), "1".repeat(129), null));
    cases.put("opinion must be a string, got a number", variables(newTaskId(), USER, 42));
    cases.put("opinion must be a string, got a list", variables(newTaskId(), USER, List.of("拒绝")));
    cases.put("opinion must be a string, got an object", variables(newTaskId(), USER, Map.of("text", "拒绝")));
    cases.put("opinion is 4097 characters long; at most 4096", variables(newTaskId(), USER, "x".repeat(4097)));
    cases.put("opinion is 200000 characters long; at most 4096", variables(newTaskId(), USER, "拒".repeat(200_000)));
    int requestsBefore = FEISHU.requests().size();
    Map<Long, String> instances = new LinkedHashMap<>();
    cases.forEach((expected, variables) -> instances.put(start(QUICK_PROCESS, variables), expected));
    long allWrong = start(QUICK_PROCESS, variables(List.of(), 1.25, false));

    SoftAssertions softly = new SoftAssertions();
    instances.forEach((instance, expected) -> {
      String incident = PROBE.awaitEnding(instance).incident().orElse("no incident");
      softly.assertThat(incident).as(expected).contains(expected, "Nothing was sent to Feishu");
      softly.assertThat(incident.length()).as("length of: " + expected).isLessThan(LONGEST_CLEAR_INCIDENT);
    });
    softly.assertAll();
    assertThat(PROBE.awaitEnding(allWrong).incident().orElseThrow())
        .contains("approvalTaskId must be", "userId must be", "opinion must be a string");
    assertThat(FEISHU.requests()).hasSize(requestsBefore);
  }

  @Test
  void variablesAndHeadersNamingAnotherBaseUrlDoNotMoveTheCall() {
    try (FeishuSimulator elsewhere = new FeishuSimulator().start()) {
      String other = elsewhere.baseUrl().toString();
      camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess("headers-name-a-base-url")
          .startEvent()
          .serviceTask("Reject", task -> task.zeebeJobType("feishu-approval-reject")
              .zeebeTaskHeader("baseUrl", other).zeebeTaskHeader("feishu.base-url", other)
              .zeebeTaskHeader("FEISHU_BASE_URL", other).zeebeTaskHeader("url", other))
          .endEvent("Done")
          .done(), "headers-name-a-base-url.bpmn").send().join();
      String task = newTaskId();
      Map<String, Object> variables = new HashMap<>(variables(task, USER, "拒绝"));
      for (String name : List.of("baseUrl", "feishuBaseUrl", "FEISHU_BASE_URL", "base_url", "url", "host")) {
        variables.put(name, other);
      }
      List<Long> instances = new ArrayList<>();
      instances.add(start(QUICK_PROCESS, variables));
      instances.add(start("headers-name-a-base-url", variables));

      for (long instance : instances) assertThat(PROBE.awaitEnding(instance).endEvent()).isPresent();
      assertThat(FEISHU.callsFor(task)).hasSize(2);
      assertThat(elsewhere.requests()).isEmpty();
    }
  }

  @Test
  void hostileTaskHeadersAreIncidentsNamingTheHeaderAndTheWorkerKeepsItsCapacity() {
    Map<String, Map<String, String>> cases = new LinkedHashMap<>();
    cases.put("task header retryBackoff may be at most", Map.of("retryBackoff", "P99999999999999D"));
    cases.put("task header retryBackoff must be an ISO-8601 duration", Map.of("retryBackoff", "=duration(\"PT5S\")"));
    cases.put("task header retryBackoff may not be negative", Map.of("retryBackoff", "-PT5S"));
    cases.put("task header resultVariable must be a variable name", Map.of("resultVariable", "=result"));
    cases.put("task header resultVariable must be a variable name.", Map.of("resultVariable", "名字 空格"));
    cases.put("task header feishuApp names the app", Map.of("feishuApp", "../default"));
    int requestsBefore = FEISHU.requests().size();
    Map<Long, String> instances = new LinkedHashMap<>();
    int n = 0;
    for (var entry : cases.entrySet()) {
      String process = "hostile-headers-" + n++;
      camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(process).startEvent()
          .serviceTask("Reject", task -> {
            task.zeebeJobType("feishu-approval-reject");
            entry.getValue().forEach(task::zeebeTaskHeader);
          }).endEvent("Done").done(), process + ".bpmn").send().join();
      instances.put(start(process, variables(newTaskId(), USER, null)), entry.getKey().replaceAll("\\.$", ""));
    }

    SoftAssertions softly = new SoftAssertions();
    instances.forEach((instance, expected) -> softly.assertThat(PROBE.awaitEnding(instance).incident()
        .orElse("no incident")).as(expected).startsWith("Bad input for feishu-approval-reject")
        .contains(expected, "Nothing was sent to Feishu"));
    softly.assertAll();
    assertThat(FEISHU.requests()).hasSize(requestsBefore);
    assertThat(workers.jobsInFlight()).as("jobs still holding a slot").isZero();
    assertThat(PROBE.awaitEnding(start(QUICK_PROCESS, variables(newTaskId(), USER, null))).endEvent())
        .contains("Rejected");
  }

  private static Map<String, Object> variables(Object approvalTaskId, Object userId, Object opinion) {
    Map<String, Object> variables = new HashMap<>();
    if (approvalTaskId != null) variables.put("approvalTaskId", approvalTaskId);
    if (userId != null) variables.put("userId", userId);
    if (opinion != null) variables.put("opinion", opinion);
    return variables;
  }
}
