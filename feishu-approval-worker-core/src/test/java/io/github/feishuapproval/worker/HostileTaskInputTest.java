package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Task headers and variables an attacker or a broken expression controls: huge, negative, fractional, non-ASCII,
 * FEEL-looking, empty, null, of the wrong JSON type, deeply nested, megabytes long. Each case is an incident naming
 * what is wrong, nothing reaches Feishu, and the handler keeps its full capacity.
 */
class HostileTaskInputTest {

  private static final String TASK = "\"approvalTaskId\":\"1785996265147395\"";
  private static final String USER = "\"userId\":\"1783981209205788\"";

  @Test
  void hostileTaskHeadersAreIncidentsNamingTheHeader() {
    Map<Map<String, String>, String> cases = new LinkedHashMap<>();
    for (String backoff : List.of("P99999999999999D", "PT9223372036854775807S", "P2D", "-PT5S", "PT-1S", "ten",
        "=duration(\"PT5S\")", "ＰＴ５Ｓ", "P1Y", "PT0.5.5S", "x".repeat(2_000_000))) {
      cases.put(Map.of("retryBackoff", backoff), "task header retryBackoff");
    }
    for (String name : List.of("=result", "a b", "1st", "a.b", "res-ult", "名\u202e", "a\u0000b", "x".repeat(257),
        "x".repeat(2_000_000))) {
      cases.put(Map.of("resultVariable", name), "task header resultVariable");
    }
    for (String app : List.of("missing", "=app", "../default", "默认", "x".repeat(2_000_000))) {
      cases.put(Map.of("feishuApp", app), "task header feishuApp");
    }
    List<Map<String, String>> headers = new ArrayList<>(cases.keySet());
    List<String> expected = new ArrayList<>(cases.values());
    List<String> variables = headers.stream().map(h -> "{" + TASK + "," + USER + "}").toList();
    refusedWithoutACall(JobOperations.REJECT, headers, variables, expected);
  }

  @Test
  void hostileVariablesAreIncidentsNamingTheVariable() {
    String nested = "[".repeat(5000) + "]".repeat(5000);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{" + USER + "}", "approvalTaskId is missing");
    cases.put("{\"approvalTaskId\":null," + USER + "}", "approvalTaskId is missing");
    cases.put("{\"approvalTaskId\":\"\"," + USER + "}", "approvalTaskId is blank");
    cases.put("{\"approvalTaskId\":-1," + USER + "}", "approvalTaskId may not be negative");
    cases.put("{\"approvalTaskId\":1.5," + USER + "}", "approvalTaskId must be an integer or a string");
    cases.put("{\"approvalTaskId\":1e400," + USER + "}", "approvalTaskId is not a usable value");
    cases.put("{\"approvalTaskId\":\"=task.id\"," + USER + "}", "approvalTaskId may contain only");
    cases.put("{\"approvalTaskId\":\"任务\"," + USER + "}", "approvalTaskId may contain only");
    cases.put("{\"approvalTaskId\":" + nested + "," + USER + "}", "approvalTaskId");
    cases.put("{\"approvalTaskId\":{\"a\":{\"b\":1}}," + USER + "}", "approvalTaskId must be a string or an integer");
    cases.put("{\"approvalTaskId\":\"" + "1".repeat(2_000_000) + "\"," + USER + "}", "approvalTaskId is 2000000");
    cases.put("{" + TASK + ",\"userId\":true}", "userId must be a string or an integer");
    cases.put("{" + TASK + "," + USER + ",\"opinion\":\"" + "拒".repeat(1_000_000) + "\"}", "opinion is 1000000");
    cases.put("{" + TASK + "," + USER + ",\"opinion\":" + nested + "}", "not a JSON document");
    cases.put("{" + TASK + "," + USER + ",\"tenantKey\":\"t1\"}", "tenantKey is set");
    cases.put("[1,2]", "approvalTaskId is missing");
    cases.put("null", "approvalTaskId is missing");
    cases.put("", "approvalTaskId is missing");
    cases.put("{" + TASK, "not a JSON document");
    List<String> variables = new ArrayList<>(cases.keySet());
    List<Map<String, String>> headers = variables.stream().map(v -> Map.<String, String>of()).toList();
    refusedWithoutACall(JobOperations.REJECT, headers, variables, new ArrayList<>(cases.values()));

    Map<String, String> query = new LinkedHashMap<>();
    query.put("{\"kunlunUserId\":\"1\",\"limit\":51}", "limit must be between 1 and 50");
    query.put("{\"kunlunUserId\":\"1\",\"limit\":-1}", "limit may not be negative");
    query.put("{\"kunlunUserId\":\"1\",\"offset\":99999999999999999999999}", "offset must be between");
    query.put("{\"kunlunUserId\":\"1\",\"startTime\":1.5}", "startTime must be an integer or a string");
    query.put("{\"kunlunUserId\":\"1\",\"type\":\"=pending\"}", "type must be one of");
    query.put("{\"kunlunUserId\":\"1\",\"apiIds\":[" + "\"1\",".repeat(100) + "\"1\"]}", "apiIds has 101 entries");
    List<String> queries = new ArrayList<>(query.keySet());
    refusedWithoutACall(JobOperations.QUERY_USER_TASKS, queries.stream().map(v -> Map.<String, String>of()).toList(),
        queries, new ArrayList<>(query.values()));
  }

  private static void refusedWithoutACall(JobOperation operation, List<Map<String, String>> headers,
      List<String> variables, List<String> expected) {
    try (HandlerRig rig = new HandlerRig()) {
      List<FakeJob> jobs = new ArrayList<>();
      for (int i = 0; i < variables.size(); i++) {
        FakeJob job = new FakeJob(operation.jobType(), variables.get(i)).set("getCustomHeaders", headers.get(i));
        jobs.add(job);
        rig.run(operation, job);
      }
      SoftAssertions softly = new SoftAssertions();
      for (int i = 0; i < jobs.size(); i++) {
        FakeEngine.Command command = rig.answerTo(jobs.get(i));
        String shown = variables.get(i).length() > 60 ? variables.get(i).substring(0, 60) + "..." : variables.get(i);
        softly.assertThat(rig.engine.commandsFor(jobs.get(i).key())).as("commands for %s", shown).hasSize(1);
        softly.assertThat(command.isIncident()).as("incident for %s %s", shown, expected.get(i)).isTrue();
        softly.assertThat(command.message()).as("message for %s", shown)
            .startsWith("Bad input for " + operation.jobType()).contains(expected.get(i), "Nothing was sent to Feishu")
            .hasSizeLessThan(1000);
      }
      softly.assertAll();
      assertThat(rig.calls).as("calls to Feishu").isEmpty();
      assertThat(rig.handler.jobsInFlight()).isZero();

      // full capacity afterwards: as many good jobs as there is room for all go through at once
      List<FakeJob> good = new ArrayList<>();
      for (int i = 0; i < HandlerRig.CAPACITY; i++) {
        FakeJob job = new FakeJob(JobOperations.REJECT.jobType(), HandlerRig.reject("178599626514" + i));
        good.add(job);
        rig.run(JobOperations.REJECT, job);
      }
      for (FakeJob job : good) assertThat(rig.answerTo(job).kind()).isEqualTo("complete");
    }
  }
}
