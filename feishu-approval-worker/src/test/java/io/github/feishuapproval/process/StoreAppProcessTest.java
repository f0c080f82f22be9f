package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A store (ISV) app on the embedded engine: Feishu pushes its app_ticket, encrypted and signed, to the worker's event
 * endpoint; each job names the customer tenant it acts for; tokens are per tenant.
 */
class StoreAppProcessTest extends ProcessTestSupport {

  static final String ISV_APP_ID = "cli_store_app_000001";
  static final String ISV_SECRET = "store-app-secret-90c1f2";
  static final String ISV_TOKEN = "verification-token-5e7d31";
  static final String ISV_KEY = "encrypt-key-b8a4c6d2e0";
  /** A second store app whose first push reaches the worker only when a test says so. */
  static final String LATE_APP_ID = "cli_store_app_000002";
  static final String LATE_SECRET = "store-app-secret-late-4411";
  static final String LATE_TOKEN = "verification-token-late-7a2b";
  static final String LATE_KEY = "encrypt-key-late-19fe";
  private static final AtomicLong TASKS = new AtomicLong(1785996266300000L);
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  static {
    FEISHU.storeApp(ISV_APP_ID, ISV_SECRET, ISV_TOKEN, ISV_KEY, "tenant-a", "tenant-b");
    FEISHU.storeApp(LATE_APP_ID, LATE_SECRET, LATE_TOKEN, LATE_KEY, "tenant-a");
  }

  @LocalServerPort int port;
  @Autowired TicketStore tickets;

  @DynamicPropertySource
  static void storeApps(DynamicPropertyRegistry registry) {
    registry.add("feishu.apps.isv.type", () -> "store");
    registry.add("feishu.apps.isv.app-id", () -> ISV_APP_ID);
    registry.add("feishu.apps.isv.app-secret", () -> ISV_SECRET);
    registry.add("feishu.apps.isv.verification-token", () -> ISV_TOKEN);
    registry.add("feishu.apps.isv.encrypt-key", () -> ISV_KEY);
    registry.add("feishu.apps.isv.camunda-tenants", () -> "<default>");
    registry.add("feishu.apps.late.type", () -> "store");
    registry.add("feishu.apps.late.app-id", () -> LATE_APP_ID);
    registry.add("feishu.apps.late.app-secret", () -> LATE_SECRET);
    registry.add("feishu.apps.late.verification-token", () -> LATE_TOKEN);
    registry.add("feishu.apps.late.encrypt-key", () -> LATE_KEY);
    registry.add("feishu.apps.late.camunda-tenants", () -> "<default>");
  }

  @BeforeAll
  static void captureLogs() {
    LOG.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
  }

  @AfterAll
  static void noSecretWasLogged() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    List<String> secrets = new ArrayList<>(List.of(ISV_SECRET, ISV_TOKEN, ISV_KEY, LATE_SECRET, LATE_TOKEN, LATE_KEY));
    secrets.addAll(FEISHU.storeAppCredentials());
    assertThat(FEISHU.storeAppCredentials()).as("tickets and tokens Feishu issued").hasSizeGreaterThan(4);
    for (ILoggingEvent event : LOG.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
          : event.getThrowableProxy().getMessage());
      for (String secret : secrets) assertThat(line).doesNotContain(secret);
    }
  }

  @BeforeEach
  void feishuKnowsTheEndpointAndTheWorkerHasATicket() {
    FEISHU.storeAppEndpoint(ISV_APP_ID, endpoint("isv"));
    awaitTicketAfter(ISV_APP_ID, Instant.EPOCH);
  }

  @Test
  void twoCustomerTenantsActThroughOneStoreAppEachWithItsOwnToken() {
    String taskA = nextTask();
    String taskB = nextTask();
    FEISHU.taskOfTenant(taskA, "tenant-a");
    FEISHU.taskOfTenant(taskB, "tenant-b");

    long a = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", taskA, "userId", "1", "tenantKey", "tenant-a"));
    long b = run("feishu-approval-agree", "isv", Map.of("approvalTaskId", taskB, "userId", "2", "tenantKey", "tenant-b"));

    assertThat(PROBE.awaitEnding(a).endEvent()).contains("Done");
    assertThat(PROBE.awaitEnding(b).endEvent()).contains("Done");
    assertThat(FEISHU.tenantOf(FEISHU.callsFor(taskA).getFirst().authorization())).contains("tenant-a");
    assertThat(FEISHU.tenantOf(FEISHU.callsFor(taskB).getFirst().authorization())).contains("tenant-b");
  }

  @Test
  void anApaasFlowOrUserTaskJobAsAStoreAppIsAnIncidentNamingWhyWithoutACall() {
    String task = nextTask();
    String flow = "flow_" + nextTask();
    long cc = run("feishu-apaas-user-task-cc", "isv", Map.of("userTaskId", task, "operatorUserId", "1",
        "ccUserIds", java.util.List.of("2"), "tenantKey", "tenant-a"));
    long execute = run("feishu-apaas-flow-execute", "isv", Map.of("namespace", "ns", "flowId", flow,
        "operatorUserId", "1"));

    assertThat(PROBE.awaitEnding(cc).incident().orElseThrow()).contains("the Feishu app 'isv' is a store app",
        "Feishu offers feishu-apaas-user-task-cc", "to self-built apps only", "Nothing was sent to Feishu");
    assertThat(PROBE.awaitEnding(execute).incident().orElseThrow())
        .contains("Feishu offers feishu-apaas-flow-execute", "to self-built apps only");
    assertThat(FEISHU.callsFor(task)).isEmpty();
    assertThat(FEISHU.callsFor(flow)).isEmpty();
  }

  @Test
  void withoutATicketJobsWaitWithoutSpendingARetryAndGoOnOnceFeishuPushesOne() {
    String task = nextTask();
    long instance = run("feishu-approval-reject", "late", Map.of("approvalTaskId", task, "userId", "1",
        "tenantKey", "tenant-a"));

    JobRecordValue waiting = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(waiting.getRetries()).isEqualTo(3);
    assertThat(waiting.getErrorMessage()).contains("no app_ticket from Feishu yet", "a push was requested",
        "without spending a retry");
    assertThat(FEISHU.callsFor(task)).isEmpty();

    // the push the worker asked for at startup reaches it once Feishu knows where to send it
    FEISHU.storeAppEndpoint(LATE_APP_ID, endpoint("late"));
    awaitTicketAfter(LATE_APP_ID, Instant.EPOCH);
    ENGINE.increaseTime(Duration.ofSeconds(11));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    assertThat(FEISHU.callsFor(task)).hasSize(1);
  }

  @Test
  void anExpiredTicketIsDroppedAndANewPushRequestedWithoutSpendingARetry() {
    String warm = nextTask();
    assertThat(PROBE.awaitEnding(run("feishu-approval-reject", "isv", Map.of("approvalTaskId", warm, "userId", "1",
        "tenantKey", "tenant-a"))).endEvent()).contains("Done");
    FEISHU.expireTickets(ISV_APP_ID);
    FEISHU.expireStoreAppTokens(ISV_APP_ID);
    long resends = FEISHU.ticketResends();
    Instant expired = Instant.now();

    String task = nextTask();
    long instance = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", task, "userId", "1",
        "tenantKey", "tenant-a"));
    JobRecordValue waiting = PROBE.awaitJobFailures(instance, 1).getFirst();
    assertThat(waiting.getRetries()).isEqualTo(3);
    assertThat(waiting.getErrorMessage()).contains("Feishu refused the app_ticket", "10012", "a new push was requested");
    awaitTicketAfter(ISV_APP_ID, expired);
    assertThat(FEISHU.ticketResends()).isEqualTo(resends + 1);
    ENGINE.increaseTime(Duration.ofSeconds(11));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
  }

  @Test
  void aRejectedTenantTokenIsReplacedAndTheCallMadeOnceMoreInTheSameJob() {
    String warm = nextTask();
    PROBE.awaitEnding(run("feishu-approval-reject", "isv", Map.of("approvalTaskId", warm, "userId", "1",
        "tenantKey", "tenant-b")));
    FEISHU.revokeTenantTokens(ISV_APP_ID, "tenant-b");

    String task = nextTask();
    long instance = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", task, "userId", "1",
        "tenantKey", "tenant-b"));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    List<FeishuSimulator.Call> calls = FEISHU.callsFor(task);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).authorization()).isNotEqualTo(calls.get(0).authorization());
    assertThat(FEISHU.tenantOf(calls.get(1).authorization())).contains("tenant-b");
    assertThat(PROBE.jobFailures(instance)).isEmpty();
  }

  @Test
  void aMissingOrMalformedTenantKeyForAStoreAppIsAnIncidentNamingTheVariableWithoutACall() {
    String missing = nextTask();
    String malformed = nextTask();
    long a = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", missing, "userId", "1"));
    long b = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", malformed, "userId", "1",
        "tenantKey", "tenant/../a"));

    assertThat(PROBE.awaitEnding(a).incident().orElseThrow())
        .contains("tenantKey is missing: the Feishu app 'isv' is a store app", "Nothing was sent to Feishu");
    assertThat(PROBE.awaitEnding(b).incident().orElseThrow()).contains("tenantKey may contain only");
    assertThat(FEISHU.callsFor(missing)).isEmpty();
    assertThat(FEISHU.callsFor(malformed)).isEmpty();
  }

  @Test
  void aTenantThatNeverInstalledTheAppIsAnIncidentNamingItsTenantKey() {
    String task = nextTask();
    long instance = run("feishu-approval-reject", "isv", Map.of("approvalTaskId", task, "userId", "1",
        "tenantKey", "tenant-x"));

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains("99991665", "Feishu does not know the tenant_key tenant-x");
    assertThat(FEISHU.callsFor(task)).isEmpty();
  }

  @Test
  void theUrlVerificationChallengeIsAnsweredAndForgedOrBrokenPushesAreRefusedChangingNothing() throws Exception {
    TicketStore.StoredTicket before = tickets.latest(ISV_APP_ID).toCompletableFuture().join().orElseThrow();
    String forgedTicket = "ticket-forged";
    String event = FeishuEventPushes.appTicketEventV1(ISV_APP_ID, forgedTicket, ISV_TOKEN, "evt-forged");
    FeishuEventPushes.Push good = FeishuEventPushes.push(event, Optional.of(ISV_KEY), Instant.now());

    HttpResponse<String> challenge = post(FeishuEventPushes.push(
        FeishuEventPushes.urlVerification("c-1234", ISV_TOKEN), Optional.of(ISV_KEY), Instant.now()));
    assertThat(challenge.statusCode()).isEqualTo(200);
    assertThat(challenge.body()).isEqualTo("{\"challenge\":\"c-1234\"}");

    Map<String, String> forgedHeaders = new HashMap<>(good.headers());
    forgedHeaders.put(FeishuEventPushes.SIGNATURE, "0".repeat(64));
    List<FeishuEventPushes.Push> bad = List.of(
        new FeishuEventPushes.Push(good.body(), forgedHeaders),
        FeishuEventPushes.push(FeishuEventPushes.appTicketEventV1(ISV_APP_ID, forgedTicket, "wrong-token", "e2"),
            Optional.of(ISV_KEY), Instant.now()),
        FeishuEventPushes.push(event, Optional.empty(), Instant.now()),
        FeishuEventPushes.push(event, Optional.of(ISV_KEY), Instant.now().minus(Duration.ofMinutes(10))),
        FeishuEventPushes.push("{\"x\":\"" + "y".repeat(70_000) + "\"}", Optional.of(ISV_KEY), Instant.now()),
        FeishuEventPushes.push("not json at all", Optional.empty(), Instant.now()),
        FeishuEventPushes.push(FeishuEventPushes.appTicketEventV1("cli_someone_else", forgedTicket, ISV_TOKEN, "e3"),
            Optional.of(ISV_KEY), Instant.now()));
    for (FeishuEventPushes.Push push : bad) {
      assertThat(post(push).statusCode()).as(push.body().substring(0, Math.min(40, push.body().length())))
          .isBetween(400, 499);
    }
    // a name without a store app is answered as any refused push is, telling no one which names exist
    HttpResponse<String> nobody = FeishuEventPushes.post(endpoint("nobody"), good);
    assertThat(nobody.statusCode()).isEqualTo(401);
    assertThat(nobody.body()).isEqualTo("{\"msg\":\"refused\"}");

    // the genuine push once is taken; sent again exactly as it was, it is a replay
    assertThat(post(good).statusCode()).isEqualTo(200);
    assertThat(post(good).statusCode()).isBetween(400, 499);
    assertThat(tickets.latest(ISV_APP_ID).toCompletableFuture().join().orElseThrow().value())
        .isEqualTo(forgedTicket).isNotEqualTo(before.value());
    // a real ticket again, for the other tests
    Instant pushed = Instant.now();
    FEISHU.pushTicket(ISV_APP_ID);
    awaitTicketAfter(ISV_APP_ID, pushed);
  }

  private HttpResponse<String> post(FeishuEventPushes.Push push) throws Exception {
    return FeishuEventPushes.post(endpoint("isv"), push);
  }

  private URI endpoint(String app) {
    return URI.create("http://127.0.0.1:" + port + "/feishu/events/" + app);
  }

  private void awaitTicketAfter(String appId, Instant after) {
    PROBE.await(() -> tickets.latest(appId).toCompletableFuture().join()
        .filter(t -> t.receivedAt().isAfter(after)).map(t -> true), "a ticket for " + appId + " after " + after);
  }

  private long run(String jobType, String app, Map<String, Object> variables) {
    String processId = "store-app-" + jobType;
    camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Call", task -> task.zeebeJobType(jobType).zeebeJobRetries("3").zeebeTaskHeader("feishuApp", app))
        .endEvent("Done")
        .done(), processId + ".bpmn").send().join();
    return start(processId, variables);
  }

  private static String nextTask() {
    return Long.toString(TASKS.incrementAndGet());
  }
}
