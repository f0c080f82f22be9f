package io.github.feishuapproval.testkit;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what Feishu received, read as sentences:
 * {@code assertThat(feishu).rejected("1785996265147395").byUser("1783981209205788").withOpinion("超时自动拒绝")}.
 */
public final class FeishuAssertions {

  private FeishuAssertions() {}

  public static SimulatorAssert assertThat(FeishuSimulator feishu) {
    return new SimulatorAssert(feishu);
  }

  /** What the simulator was asked, by operation and the id it was about. */
  public static final class SimulatorAssert extends AbstractAssert<SimulatorAssert, FeishuSimulator> {

    private SimulatorAssert(FeishuSimulator feishu) {
      super(feishu, SimulatorAssert.class);
    }

    /** Feishu was asked to reject the approval task, exactly once; the call's details follow. */
    public CallAssert rejected(String approvalTaskId) {
      return once("reject", approvalTaskId, "rejected");
    }

    public CallAssert agreed(String approvalTaskId) {
      return once("agree", approvalTaskId, "agreed");
    }

    public CallAssert transferred(String approvalTaskId) {
      return once("transfer", approvalTaskId, "transferred");
    }

    public CallAssert addedAssigneesTo(String approvalTaskId) {
      return once("add_assignee", approvalTaskId, "added assignees to");
    }

    public CallAssert cancelledInstance(String approvalInstanceId) {
      return once("cancel_instance", approvalInstanceId, "cancelled instance");
    }

    public CallAssert queriedTasksOf(String kunlunUserId) {
      return once("query", kunlunUserId, "queried the tasks of");
    }

    /** Nothing at all was sent about the id: no call, whatever the operation. */
    public SimulatorAssert receivedNoCallFor(String id) {
      List<FeishuSimulator.Call> calls = actual.callsFor(id);
      if (!calls.isEmpty()) failWithMessage("Expected no Feishu call about %s, but there were %d: %s", id, calls.size(),
          calls.stream().map(FeishuSimulator.Call::path).toList());
      return this;
    }

    /** Feishu got {@code times} calls about the id, answered or not (a retry is a call). */
    public SimulatorAssert receivedCallsFor(String id, int times) {
      int got = actual.callsFor(id).size();
      if (got != times) failWithMessage("Expected %d Feishu calls about %s, but there were %d", times, id, got);
      return this;
    }

    private CallAssert once(String action, String id, String verb) {
      isNotNull();
      List<FeishuSimulator.Call> calls = actual.callsFor(id).stream().filter(c -> c.action().equals(action)).toList();
      if (calls.size() != 1) {
        failWithMessage("Expected Feishu to have %s %s once, but it was asked %d times (all calls about it: %s)",
            verb, id, calls.size(), actual.callsFor(id).stream().map(FeishuSimulator.Call::path).toList());
      }
      return new CallAssert(calls.getFirst(), actual);
    }
  }

  /** One call Feishu received. */
  public static final class CallAssert extends AbstractAssert<CallAssert, FeishuSimulator.Call> {

    private final FeishuSimulator feishu;

    private CallAssert(FeishuSimulator.Call call, FeishuSimulator feishu) {
      super(call, CallAssert.class);
      this.feishu = feishu;
    }

    /** The acting user, body {@code user_id} (the kunlun user id for a task query). */
    public CallAssert byUser(String userId) {
      String sent = actual.body().path(actual.action().equals("query") ? "kunlun_user_id" : "user_id").asText(null);
      if (!userId.equals(sent)) failWithMessage("Expected the call %s by user %s, but it was by %s", actual.path(),
          userId, sent);
      return this;
    }

    public CallAssert withOpinion(String opinion) {
      String sent = actual.body().path("opinion").asText(null);
      if (!opinion.equals(sent)) failWithMessage("Expected the opinion <%s> in %s, but it was <%s>", opinion,
          actual.path(), sent);
      return this;
    }

    public CallAssert withoutOpinion() {
      if (actual.body().has("opinion")) failWithMessage("Expected no opinion in %s, but it was <%s>", actual.path(),
          actual.body().path("opinion").asText());
      return this;
    }

    /** The app whose tenant token the call carried, by its app id. */
    public CallAssert asApp(String appId) {
      String app = feishu.appIdOf(actual.authorization());
      if (!appId.equals(app)) failWithMessage("Expected %s to act as app %s, but it acted as %s", actual.path(), appId,
          app);
      return this;
    }

    /** A store app's call, acting for the customer tenant {@code tenantKey}. */
    public CallAssert forTenant(String tenantKey) {
      String tenant = feishu.tenantOf(actual.authorization()).orElse(null);
      if (!tenantKey.equals(tenant)) failWithMessage("Expected %s for tenant %s, but it was for %s", actual.path(),
          tenantKey, tenant);
      return this;
    }

    /** The JSON body as it was sent, field by field. */
    public CallAssert withBody(String json) {
      try {
        if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).equals(actual.body())) {
          failWithMessage("Expected the body %s in %s, but it was %s", json, actual.path(), actual.body());
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        failWithMessage("The expected body is not JSON: %s", e.getOriginalMessage());
      }
      return this;
    }
  }
}
