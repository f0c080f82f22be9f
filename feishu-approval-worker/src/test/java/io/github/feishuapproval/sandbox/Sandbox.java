package io.github.feishuapproval.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import ch.qos.logback.classic.Level;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The local sandbox: the embedded engine, the Feishu simulator and the real worker in one JVM. It deploys
 * {@code bpmn/}, runs one process instance per scenario and prints how each one ended. No account is needed.
 */
public final class Sandbox {

  /** One instance to run; {@code expected} is how its ending must begin, {@code calls} how many calls Feishu gets. */
  private record Scenario(String title, String process, Map<String, Object> variables, Consumer<Context> drive,
      String expected, int calls) {}

  private static final String STORE_APP_ID = "cli_sandbox_store_app";
  private static final String STORE_APP_SECRET = "sandbox-store-secret-3c9e";
  private static final String STORE_APP_TOKEN = "sandbox-verification-token-8d1a";
  private static final String STORE_APP_KEY = "sandbox-encrypt-key-52f7";
  private static final String CALLBACK_SECRET = "sandbox-callback-secret-a41e";
  private static final String APAAS_FLOW = "sandbox_expense_approval";
  private static final String APPROVER = "1783981209205999";
  private static final String EVENT_TOKEN = "sandbox-verification-token-6b2e";
  private static final String EVENT_KEY = "sandbox-encrypt-key-9a41";
  private static final String LEAVE_APPROVAL = "SANDBOX-LEAVE-7C46-8A54-2245";
  private static final String TRIP_APPROVAL = "SANDBOX-TRIP-31D0-9B6E-5A17";
  /** The v4 example as the app "lc" runs it, whose events come over its long connection. */
  private static final String V4_OVER_LONG_CONNECTION = "sandbox-feishu-approval-v4-long-connection";

  /** The last line of a run in which every scenario ended as expected; {@code SandboxIT} looks for it. */
  static final String ALL_AS_EXPECTED =
      "Every instance ended as expected: completed, on an error path, or as an incident.";

  /** What a scenario can do while its instance runs. */
  record Context(ZeebeTestEngine engine, FeishuSimulator feishu, EngineProbe probe, long instance) {}

  public static void main(String[] args) throws Exception {
    quietLogs();
    System.out.println("Starting the embedded Zeebe engine and the Feishu simulator...");
    ZeebeTestEngine engine = EmbeddedEngine.shared();
    int exit = 1;
    try (FeishuSimulator feishu = new FeishuSimulator().start();
         ConfigurableApplicationContext worker = startWorker(feishu)) {
      CamundaClient camunda = worker.getBean(CamundaClient.class);
      // the store app's request URL: the ticket the worker asked for at start is pushed there now
      feishu.storeAppEndpoint(STORE_APP_ID, URI.create("http://127.0.0.1:"
          + worker.getEnvironment().getProperty("local.server.port") + "/feishu/events/isv"));
      // the aPaaS flow's human task, whose HTTP node posts the decision to the worker's callback endpoint
      feishu.flowRuns().humanTask(APAAS_FLOW, APPROVER, URI.create("http://127.0.0.1:"
          + worker.getEnvironment().getProperty("local.server.port") + "/feishu/callbacks/default"), CALLBACK_SECRET,
          "requestId");
      // Feishu Approval: a definition with one approver, whose events are pushed to the worker's event endpoint
      feishu.approvalV4().definition(LEAVE_APPROVAL, APPROVER);
      feishu.approvalEvents().target(FeishuSimulator.APP_ID, new SimulatedApprovalEvents.Target(URI.create(
          "http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port") + "/feishu/events/default"),
          EVENT_TOKEN, Optional.of(EVENT_KEY)));
      // and one whose events go over the long connection the second app's replica opened
      feishu.approvalV4().definition(TRIP_APPROVAL, APPROVER);
      feishu.approvalEvents().target(FeishuSimulator.SECOND_APP_ID, SimulatedApprovalEvents.Target.longConnection(""));
      List<Path> deployed = deploy(camunda);
      System.out.println("Deployed " + deployed.stream().map(p -> p.getFileName().toString()).toList());
      System.out.println("Feishu simulator at " + feishu.baseUrl() + ", engine at " + EmbeddedEngine.grpcAddress());
      System.out.println();
      exit = run(camunda, engine, feishu, scenarios()) ? 0 : 1;
    } finally {
      engine.stop();
    }
    System.exit(exit);
  }

  private static List<Scenario> scenarios() {
    String reject = "feishu-approval-reject-example";
    return List.of(
        new Scenario("Reject succeeds", reject, vars("1785996265147395", 1783981209205788L, "拒绝"), c -> {},
            "completed at TaskRejected", 1),
        new Scenario("Feishu answers 2320001 (param is invalid)", reject, vars("1785996265147396", "1783981209205788", null),
            c -> c.feishu().script("1785996265147396", Fault.paramInvalid()),
            "completed at InvalidParameterHandled", 1),
        new Scenario("Feishu answers 2320004 (user does not exist)", reject, vars("1785996265147397", "42", null),
            c -> c.feishu().script("1785996265147397", Fault.code(404, 2320004, "user does not exist")),
            "completed at OtherFeishuErrorHandled", 1),
        new Scenario("Feishu's gateway fails once (HTTP 502), the retry succeeds", reject,
            vars("1785996265147398", "1783981209205788", null), c -> {
              c.feishu().script("1785996265147398", Fault.badGateway());
              c.probe().awaitJobFailures(c.instance(), 1);
              c.engine().increaseTime(Duration.ofSeconds(11));
            }, "completed at TaskRejected", 2),
        new Scenario("Feishu rate-limits the call (HTTP 429, reset 3 s): waits, spends no retry", reject,
            vars("1785996265147399", "1783981209205788", null), c -> {
              c.feishu().script("1785996265147399", Fault.rateLimited(3));
              c.probe().awaitJobFailures(c.instance(), 1);
              c.engine().increaseTime(Duration.ofSeconds(4));
            }, "completed at TaskRejected", 2),
        new Scenario("The tenant token expires mid-run: replaced, call repeated", reject,
            vars("1785996265147400", "1783981209205788", null),
            c -> c.feishu().script("1785996265147400", Fault.expireToken()), "completed at TaskRejected", 2),
        new Scenario("Bad input: a task id that tries to climb the path, ../../open-apis/auth (nothing is sent)",
            reject, vars("../../open-apis/auth", "1783981209205788", null), c -> {},
            "incident: Bad input for feishu-approval-reject: approvalTaskId", 0),
        new Scenario("Agree on behalf of a user", "sandbox-feishu-approval-agree",
            vars("1785996265147402", "1783981209205788", "同意"), c -> {}, "completed at Done", 1),
        new Scenario("Transfer a stuck task to a deputy", "sandbox-feishu-approval-transfer",
            transfer("1785996265147403", "1783981209205788", List.of("1783981209205788"), List.of("1783981209205999")),
            c -> {}, "completed at Done", 1),
        new Scenario("A store app rejects for its customer tenant tenant-a (app_ticket pushed, encrypted and signed)",
            "sandbox-store-app-reject", storeApp("1785996265147404", "tenant-a"), c -> {
              // had the job come before the first push reached the worker, it would wait without a retry
              c.probe().await(() -> c.probe().endingOf(c.instance()).isPresent()
                  || !c.probe().jobFailures(c.instance()).isEmpty() ? Optional.of(true) : Optional.empty(), "an answer");
              if (c.probe().endingOf(c.instance()).isEmpty()) c.engine().increaseTime(Duration.ofSeconds(11));
            }, "completed at Done", 1),
        new Scenario("Escalation: nobody reviewed within 48 h, auto-reject", "feishu-approval-escalation",
            vars("1785996265147401", "1783981209205788", null), c -> {
              c.probe().awaitElementActivated(c.instance(), "ReviewApproval");
              c.engine().increaseTime(Duration.ofHours(48));
            }, "completed at AutoRejected", 1),
        new Scenario("aPaaS escalation: reminded after 48 h, the approver then decides", "feishu-apaas-escalation",
            apaasApproval("REQ-SANDBOX-1"), c -> {
              c.probe().awaitElementActivated(c.instance(), "WaitForDecision");
              c.engine().increaseTime(Duration.ofHours(48));
              c.probe().awaitElementActivated(c.instance(), "WaitAfterReminder");
              c.feishu().flowRuns().decide("REQ-SANDBOX-1", "agree", APPROVER, "同意");
            }, "completed at DecidedAfterReminder", 3),
        new Scenario("aPaaS escalation: nobody decides, reminded at 48 h, rejected at 72 h, the flow reports it",
            "feishu-apaas-escalation", apaasApproval("REQ-SANDBOX-2"), c -> {
              c.probe().awaitElementActivated(c.instance(), "WaitForDecision");
              c.engine().increaseTime(Duration.ofHours(48));
              c.probe().awaitElementActivated(c.instance(), "WaitAfterReminder");
              c.engine().increaseTime(Duration.ofHours(24));
            }, "completed at AutoRejected", 4),
        new Scenario("Feishu Approval: started, approved within 48 h, the decision pushed back as an event",
            "feishu-approval-v4-escalation", leaveApproval(), c -> {
              awaitApprovalWaiting(c);
              c.feishu().approverDecides(FeishuSimulator.APP_ID, instanceCode(c), true, "同意");
            }, "completed at DecidedInTime", 1),
        new Scenario("Feishu Approval: nobody decides within 48 h, the pending task is rejected",
            "feishu-approval-v4-escalation", leaveApproval(), c -> {
              awaitApprovalWaiting(c);
              c.engine().increaseTime(Duration.ofHours(48));
            }, "completed at AutoRejected", 3),
        new Scenario("Feishu Approval over the long connection (no public URL): approved within 48 h",
            V4_OVER_LONG_CONNECTION, tripApproval(), c -> {
              awaitApprovalWaiting(c);
              c.feishu().approverDecides(FeishuSimulator.SECOND_APP_ID, instanceCode(c), true, "同意");
            }, "completed at DecidedInTime", 1));
  }

  private static Map<String, Object> tripApproval() {
    Map<String, Object> variables = leaveApproval();
    variables.put("approvalCode", TRIP_APPROVAL);
    return variables;
  }

  private static Map<String, Object> leaveApproval() {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("approvalCode", LEAVE_APPROVAL);
    variables.put("initiatorUserId", "1783981209205788");
    variables.put("form", List.of(Map.of("id", "leave_days", "type", "number", "value", "3")));
    return variables;
  }

  /** The process waits for the decision again once Feishu's PENDING event looped it back: its second timer. */
  private static void awaitApprovalWaiting(Context c) {
    c.probe().awaitTimersStarted(c.instance(), 2);
  }

  private static String instanceCode(Context c) {
    String created = c.probe().variable(c.instance(), "approvalInstance").orElseThrow();
    try {
      return new ObjectMapper().readTree(created).path("instanceCode").asText();
    } catch (IOException e) {
      throw new IllegalStateException("the create job's result is not JSON: " + created, e);
    }
  }

  /** Start the flow, query, expedite and reject as the default app's aPaaS user; the approver decides in the flow. */
  private static Map<String, Object> apaasApproval(String requestId) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("namespace", "package_expense__c");
    variables.put("flowId", APAAS_FLOW);
    variables.put("operatorUserId", "1783981209205788");
    variables.put("approverUserId", APPROVER);
    variables.put("requestId", requestId);
    return variables;
  }

  private static boolean run(CamundaClient camunda, ZeebeTestEngine engine, FeishuSimulator feishu,
      List<Scenario> scenarios) {
    EngineProbe probe = new EngineProbe(engine, Duration.ofSeconds(30));
    boolean asExpected = true;
    int n = 0;
    for (Scenario scenario : scenarios) {
      n++;
      int callsBefore = feishu.calls().size();
      long instance = camunda.newCreateInstanceCommand().bpmnProcessId(scenario.process()).latestVersion()
          .variables(scenario.variables()).send().join().getProcessInstanceKey();
      String ending;
      try {
        scenario.drive().accept(new Context(engine, feishu, probe, instance));
        ending = probe.awaitEnding(instance).toString();
      } catch (AssertionError notEnded) {
        ending = "did not end: " + notEnded.getMessage();
      }
      int calls = feishu.calls().size() - callsBefore;
      System.out.printf("%d. %s%n   -> %s%n   Feishu calls: %d, job failures: %d%n", n, scenario.title(), ending,
          calls, probe.jobFailures(instance).size());
      if (!ending.startsWith(scenario.expected()) || calls != scenario.calls()) {
        System.out.printf("   !! expected: %s, with %d Feishu calls%n", scenario.expected(), scenario.calls());
        asExpected = false;
      }
      System.out.println();
    }
    System.out.println("Token fetches from the simulator: " + feishu.tokenFetches());
    System.out.println(asExpected ? ALL_AS_EXPECTED : "Some instances did not end as expected: see '!!' above.");
    return asExpected;
  }

  private static ConfigurableApplicationContext startWorker(FeishuSimulator feishu) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("camunda.client.grpc-address", EmbeddedEngine.grpcAddress());
    properties.put("camunda.client.prefer-rest-over-grpc", "false");
    properties.put("camunda.client.auth.method", "none");
    properties.put("feishu.app-id", FeishuSimulator.APP_ID);
    properties.put("feishu.app-secret", FeishuSimulator.APP_SECRET);
    properties.put("feishu.base-url", feishu.baseUrl().toString());
    properties.put("feishu.callback-secret", CALLBACK_SECRET);
    properties.put("feishu.verification-token", EVENT_TOKEN);
    properties.put("feishu.encrypt-key", EVENT_KEY);
    properties.put("feishu.approval-codes", LEAVE_APPROVAL);
    properties.put("feishu.apps.lc.app-id", FeishuSimulator.SECOND_APP_ID);
    properties.put("feishu.apps.lc.app-secret", FeishuSimulator.SECOND_APP_SECRET);
    properties.put("feishu.apps.lc.events-delivery", "long-connection");
    properties.put("feishu.apps.lc.approval-codes", TRIP_APPROVAL);
    properties.put("feishu.apps.lc.camunda-tenants", "<default>");
    // the store app's event endpoint listens on a free port; the probes are not needed here
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    feishu.storeApp(STORE_APP_ID, STORE_APP_SECRET, STORE_APP_TOKEN, STORE_APP_KEY, "tenant-a");
    properties.put("feishu.apps.isv.type", "store");
    properties.put("feishu.apps.isv.app-id", STORE_APP_ID);
    properties.put("feishu.apps.isv.app-secret", STORE_APP_SECRET);
    properties.put("feishu.apps.isv.verification-token", STORE_APP_TOKEN);
    properties.put("feishu.apps.isv.encrypt-key", STORE_APP_KEY);
    // the engine's one tenant acts as the default app, and as the store app where a task names it
    properties.put("feishu.camunda-tenants", "<default>");
    properties.put("feishu.apps.isv.camunda-tenants", "<default>");
    properties.put("logging.level.root", "WARN");
    properties.put("logging.level.io.camunda.client.impl.CamundaCallCredentials", "ERROR");
    properties.put("logging.level.io.camunda.zeebe.client.impl", "ERROR");
    properties.put("logging.level.io.github.feishuapproval", "INFO");
    properties.put("logging.pattern.console", "   worker log: %msg%n");
    String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return new SpringApplicationBuilder(FeishuApprovalWorkerApplication.class).run(args);
  }

  private static List<Path> deploy(CamundaClient camunda) throws IOException {
    List<Path> files;
    try (Stream<Path> bpmn = Files.list(Path.of("bpmn"))) {
      files = bpmn.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
    }
    for (Path file : files) {
      camunda.newDeployResourceCommand().addResourceFile(file.toString()).send().join();
    }
    for (String jobType : List.of("feishu-approval-agree", "feishu-approval-transfer")) {
      camunda.newDeployResourceCommand().addProcessModel(singleTask("sandbox-" + jobType, jobType, null),
          "sandbox-" + jobType + ".bpmn").send().join();
    }
    camunda.newDeployResourceCommand().addProcessModel(singleTask("sandbox-store-app-reject", "feishu-approval-reject",
        "isv"), "sandbox-store-app-reject.bpmn").send().join();
    BpmnModelInstance overLongConnection = Bpmn.readModelFromFile(Path.of("bpmn", "feishu-approval-v4-escalation.bpmn")
        .toFile());
    overLongConnection.getModelElementsByType(Process.class).forEach(p -> p.setId(V4_OVER_LONG_CONNECTION));
    overLongConnection.getModelElementsByType(ServiceTask.class)
        .forEach(task -> task.builder().zeebeTaskHeader("feishuApp", "lc"));
    camunda.newDeployResourceCommand().addProcessModel(overLongConnection, V4_OVER_LONG_CONNECTION + ".bpmn")
        .send().join();
    return files;
  }

  /** start, one service task of {@code jobType} acting as {@code app}, end; Feishu errors end at a catch-all. */
  private static BpmnModelInstance singleTask(String processId, String jobType, String app) {
    return Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Call", task -> {
          task.zeebeJobType(jobType).zeebeJobRetries("3");
          if (app != null) task.zeebeTaskHeader("feishuApp", app);
        })
        .boundaryEvent("AnyFeishuError", b -> b.error())
        .endEvent("FeishuErrorCaught")
        .moveToActivity("Call")
        .endEvent("Done")
        .done();
  }

  private static Map<String, Object> transfer(String approvalTaskId, String userId, List<String> from, List<String> to) {
    Map<String, Object> variables = vars(approvalTaskId, userId, null);
    variables.put("fromUserIds", from);
    variables.put("toUserIds", to);
    return variables;
  }

  private static Map<String, Object> storeApp(String approvalTaskId, String tenantKey) {
    Map<String, Object> variables = vars(approvalTaskId, "1783981209205788", "超时自动拒绝");
    variables.put("tenantKey", tenantKey);
    return variables;
  }

  private static Map<String, Object> vars(String approvalTaskId, Object userId, String opinion) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("approvalTaskId", approvalTaskId);
    variables.put("userId", userId);
    if (opinion != null) variables.put("opinion", opinion);
    return variables;
  }

  private static void quietLogs() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    new ArrayList<>(List.of("io.camunda", "io.grpc", "io.netty")).forEach(name ->
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN));
  }
}
