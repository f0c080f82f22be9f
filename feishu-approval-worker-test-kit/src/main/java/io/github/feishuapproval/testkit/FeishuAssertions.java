package io.github.feishuapproval.testkit;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what Feishu received, read as sentences:
 * {@code assertThat(feishu).rejected("1785996265147395").byUser("1783981209205788").withOpinion("超时自动拒绝")}.
 * The workers call Feishu while the test goes on, so an assertion that a call came waits for it, up to
 * {@link #setAssertionTimeout} (10 s unless set), as Camunda Process Test's assertions do.
 */
public final class FeishuAssertions {

  /** As long as Camunda Process Test's assertions wait by default. */
  public static final Duration DEFAULT_ASSERTION_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 10;

  private static volatile Duration assertionTimeout = DEFAULT_ASSERTION_TIMEOUT;

  private FeishuAssertions() {}

  public static SimulatorAssert assertThat(FeishuSimulator feishu) {
    return new SimulatorAssert(feishu, assertionTimeout);
  }

  /** How long every later assertion waits for the calls it expects; {@link Duration#ZERO} checks once at once. */
  public static void setAssertionTimeout(Duration timeout) {
    if (timeout.isNegative()) throw new IllegalArgumentException("a negative assertion timeout: " + timeout);
    assertionTimeout = timeout;
  }

  public static void resetAssertionTimeout() {
    assertionTimeout = DEFAULT_ASSERTION_TIMEOUT;
  }

  /** What the simulator was asked, by operation and the id it was about. */
  public static final class SimulatorAssert extends AbstractAssert<SimulatorAssert, FeishuSimulator> {

    private final Duration timeout;

    private SimulatorAssert(FeishuSimulator feishu, Duration timeout) {
      super(feishu, SimulatorAssert.class);
      this.timeout = timeout;
    }

    /** The same assertions, waiting up to {@code timeout} instead of the timeout set for all. */
    public SimulatorAssert within(Duration timeout) {
      return new SimulatorAssert(actual, timeout);
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

    /** Nothing at all was sent about the id so far: no call, whatever the operation. Checked at once, never waits. */
    public SimulatorAssert receivedNoCallFor(String id) {
      List<FeishuSimulator.Call> calls = actual.callsFor(id);
      if (!calls.isEmpty()) failWithMessage("Expected no Feishu call about %s, but there were %d: %s", id, calls.size(),
          calls.stream().map(FeishuSimulator.Call::path).toList());
      return this;
    }

    /** Feishu got {@code times} calls about the id, answered or not (a retry is a call); waits for them to come. */
    public SimulatorAssert receivedCallsFor(String id, int times) {
      return eventually(() -> {
        int got = actual.callsFor(id).size();
        if (got != times) failWithMessage("Expected %d Feishu calls about %s, but there were %d", times, id, got);
        return this;
      }, () -> actual.callsFor(id).size() > times);
    }

    private CallAssert once(String action, String id, String verb) {
      isNotNull();
      return eventually(() -> {
        List<FeishuSimulator.Call> calls = actual.callsFor(id).stream().filter(c -> c.action().equals(action)).toList();
        if (calls.size() != 1) {
          failWithMessage("Expected Feishu to have %s %s once, but it was asked %d times (all calls about it: %s)",
              verb, id, calls.size(), actual.callsFor(id).stream().map(FeishuSimulator.Call::path).toList());
        }
        return new CallAssert(calls.getFirst(), actual);
      }, () -> actual.callsFor(id).stream().filter(c -> c.action().equals(action)).count() > 1);
    }

    /**
     * Checks until the check passes or the timeout ran out, then fails with the last check's message; at once where
     * {@code hopeless}, as when more calls came than expected, which waiting cannot undo.
     */
    private <T> T eventually(Supplier<T> check, Supplier<Boolean> hopeless) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          return check.get();
        } catch (AssertionError notYet) {
          if (hopeless.get()) throw notYet;
          if (System.nanoTime() - deadline >= 0) {
            throw timeout.isZero() ? notYet : new AssertionError(notYet.getMessage() + " after waiting " + timeout);
          }
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Feishu calls", e);
        }
      }
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
