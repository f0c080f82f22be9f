package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * A local server that answers like Feishu's token and approval-task endpoints: the real envelope, an
 * {@code X-Tt-Logid} on every answer, expiring tokens, and any fault on demand, scripted per approval task id.
 */
public final class FeishuSimulator implements AutoCloseable {

  public static final String APP_ID = "cli_sandbox0000000";
  public static final String APP_SECRET = "sandbox-secret-4f9a1c7e";
  /** A second self-built app the simulator knows, for tests of several apps. */
  public static final String SECOND_APP_ID = "cli_sandbox_second0";
  public static final String SECOND_APP_SECRET = "sandbox-secret-second-77d2";
  private static final Map<String, String> APPS = Map.of(APP_ID, APP_SECRET, SECOND_APP_ID, SECOND_APP_SECRET);
  public static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  private static final String STORE_TOKEN_PATHS = "/open-apis/auth/v3/";

  private static final Pattern APPROVAL_TASK_PATH =
      Pattern.compile("/open-apis/apaas/v1/approval_tasks/([^/]+)/(reject|agree|transfer|add_assignee)");
  private static final Pattern INSTANCE_CANCEL_PATH =
      Pattern.compile("/open-apis/apaas/v1/approval_instances/([^/]+)/(cancel)");
  public static final String USER_TASK_QUERY_PATH = "/open-apis/apaas/v1/user_task/query";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One call Feishu received. {@code taskId} is the id the call is about: the approval task id, the approval
   * instance id for a cancel, or the kunlun user id for a task query; scripts are keyed by it too.
   */
  public record Call(String path, String taskId, String action, String authorization, String contentType,
      JsonNode body, String logId, Instant arrived) {}

  private final MockWebServer server = new MockWebServer();
  private final Clock clock;
  private final Map<String, Deque<Fault>> scripts = new ConcurrentHashMap<>();
  private final Deque<Fault> tokenScript = new ArrayDeque<>();
  private final Map<String, Instant> validTokens = new ConcurrentHashMap<>();
  private final Map<String, String> tokenApps = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicLong tokenFetches = new AtomicLong();
  private final AtomicLong logIds = new AtomicLong();
  private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, List<JsonNode>> userTasks = new ConcurrentHashMap<>();
  private final SimulatedQuota quota = new SimulatedQuota();
  private final SimulatedStoreApps storeApps;
  private final SimulatedFlowRuns flowRuns;
  private final Map<String, String> taskTenants = new ConcurrentHashMap<>();
  private final AtomicLong apiCalls = new AtomicLong();
  private final Map<String, Integer> carriedOut = new ConcurrentHashMap<>();
  private final SimulatedApprovalV4 approvalV4 = new SimulatedApprovalV4();
  private final SimulatedLongConnections longConnections =
      new SimulatedLongConnections((appId, secret) -> secret.equals(APPS.get(appId)));
  private final SimulatedApprovalEvents approvalEvents;
  private volatile boolean keepCalls = true;
  private volatile boolean tls;
  private volatile Duration latency = Duration.ZERO;
  private volatile long tokenLifetimeSeconds = 7200;

  public FeishuSimulator() {
    this(Clock.systemUTC());
  }

  public FeishuSimulator(Clock clock) {
    this.clock = clock;
    this.storeApps = new SimulatedStoreApps(clock);
    this.flowRuns = new SimulatedFlowRuns(clock);
    this.approvalEvents = new SimulatedApprovalEvents(clock, longConnections);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        return answer(request);
      }
    });
  }

  /** Answers over TLS with this server side, as Feishu does; call before {@link #start()}. */
  public FeishuSimulator tls(javax.net.ssl.SSLSocketFactory serverSide) {
    server.useHttps(serverSide, false);
    tls = true;
    return this;
  }

  public FeishuSimulator start() {
    try {
      server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new IllegalStateException("the Feishu simulator could not start", e);
    }
    return this;
  }

  public URI baseUrl() {
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.getPort());
  }

  /** The next calls for {@code taskId} get these answers, in order; after them, the normal answer. */
  public void script(String taskId, Fault... faults) {
    Deque<Fault> script = scripts.computeIfAbsent(taskId, id -> new ArrayDeque<>());
    synchronized (script) {
      Collections.addAll(script, faults);
    }
  }

  /** The next token requests get these answers, in order. */
  public void scriptTokenEndpoint(Fault... faults) {
    synchronized (tokenScript) {
      Collections.addAll(tokenScript, faults);
    }
  }

  /**
   * A store app that the customer tenants {@code tenantKeys} installed, with the Encrypt Key the worker requires of
   * every store app. Its tickets are pushed to {@link #storeAppEndpoint} once that is known.
   */
  public void storeApp(String appId, String secret, String verificationToken, String encryptKey, String... tenantKeys) {
    java.util.Objects.requireNonNull(encryptKey, "a store app needs an Encrypt Key, as the worker refuses one without");
    storeApps.register(new SimulatedStoreApps.StoreApp(appId, secret, verificationToken,
        java.util.Optional.of(encryptKey)), tenantKeys);
  }

  /** The worker's event request URL for the app, as set in the developer console; waiting pushes go out now. */
  public void storeAppEndpoint(String appId, URI eventUrl) {
    storeApps.endpoint(appId, eventUrl);
  }

  /** Feishu's hourly push of a fresh app_ticket. Returns the ticket. */
  public String pushTicket(String appId) {
    return storeApps.pushTicket(appId);
  }

  /** Every app_ticket of the app expires, as three hours after its push. */
  public void expireTickets(String appId) {
    storeApps.expireTickets(appId);
  }

  /** The store app's app token and tenant tokens expire, so that the next call needs a new app token. */
  public void expireStoreAppTokens(String appId) {
    storeApps.expireTokens(appId);
  }

  /** Feishu revokes one customer tenant's tenant token. */
  public void revokeTenantTokens(String appId, String tenantKey) {
    storeApps.revokeTenantTokens(appId, tenantKey);
  }

  /** How often a store app asked Feishu to push a ticket again. */
  public long ticketResends() {
    return storeApps.resends();
  }

  /** The status the worker's endpoint answered each push with. */
  public List<Integer> pushAnswers() {
    return storeApps.pushAnswers();
  }

  /** The customer tenant whose store-app token an {@code Authorization} header carries, if it carries one. */
  public java.util.Optional<String> tenantOf(String authorization) {
    return authorization == null ? java.util.Optional.empty()
        : storeApps.issuedTo(authorization.replaceFirst("^Bearer ", "")).map(SimulatedStoreApps.TenantOwner::tenantKey);
  }

  /** The task belongs to that customer tenant: a token of another tenant finds no such task (2320001). */
  public void taskOfTenant(String taskId, String tenantKey) {
    taskTenants.put(taskId, tenantKey);
  }

  /** Every store-app ticket and token handed out. */
  public List<String> storeAppCredentials() {
    return storeApps.issued();
  }

  /** Every answer waits this long first, as a slow Feishu would. */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /** From now on each API answers 429 beyond {@code calls} per fixed {@code window}, as Feishu's gateway does. */
  public void quota(int calls, Duration window) {
    quota.limit(calls, window);
  }

  /** From now on no quota: every call is admitted. */
  public void noQuota() {
    quota.off();
  }

  /** How many calls were answered 429 because their API's quota was spent. */
  public long rateLimitedAnswers() {
    return quota.refusals();
  }

  public void tokenLifetimeSeconds(long seconds) {
    this.tokenLifetimeSeconds = seconds;
  }

  /**
   * The approval tasks the query endpoint returns for {@code kunlunUserId}, whatever the type asked; the pending tasks of
   * {@link #flowRuns()} come after them.
   */
  public void userTasks(String kunlunUserId, List<JsonNode> tasks) {
    userTasks.put(kunlunUserId, List.copyOf(tasks));
  }

  /**
   * Whether each call is kept for {@link #calls} and {@link #requests} (the default). A long benchmark turns this off,
   * so that the simulator's memory does not grow with every call it answers.
   */
  public void keepCalls(boolean keep) {
    this.keepCalls = keep;
    if (!keep) {
      calls.clear();
      received.clear();
    }
  }

  /** How many calls reached the approval-task APIs (token requests not counted), kept or not. */
  public long apiCalls() {
    return apiCalls.get();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Call> callsFor(String taskId) {
    return calls.stream().filter(c -> taskId.equals(c.taskId())).toList();
  }

  /** The app id whose token an {@code Authorization} header carries, or null. */
  public String appIdOf(String authorization) {
    return authorization == null ? null : tokenApps.get(authorization.replaceFirst("^Bearer ", ""));
  }

  /** Every request that reached the server, whatever its path, as {@code METHOD target}, recorded on arrival. */
  public List<String> requests() {
    return List.copyOf(received);
  }

  /** Every tenant token this simulator has handed out. */
  public Set<String> issuedTokens() {
    return Set.copyOf(issuedTokens);
  }

  public long tokenFetches() {
    return tokenFetches.get();
  }

  /** Forgets the calls received so far, and nothing else: scripts, quota and tokens stay as they are. */
  public void forgetCalls() {
    calls.clear();
    received.clear();
    carriedOut.clear();
  }

  public void reset() {
    scripts.clear();
    synchronized (tokenScript) {
      tokenScript.clear();
    }
    calls.clear();
    carriedOut.clear();
    approvalV4.reset();
    approvalEvents.reset();
    latency = Duration.ZERO;
    quota.off();
    flowRuns.reset();
  }

  private MockResponse answer(RecordedRequest request) throws InterruptedException {
    if (keepCalls) received.add(request.getMethod() + " " + request.getPath());
    Instant arrived = clock.instant();
    if (!latency.isZero()) Thread.sleep(latency.toMillis());
    String logId = "20261124" + String.format("%012d", logIds.incrementAndGet()) + "SIM";
    String path = request.getRequestUrl().encodedPath();
    if (SimulatedLongConnections.handles(path)) return longConnections.answer(request, baseUrl());
    if (path.equals(TOKEN_PATH)) {
      tokenFetches.incrementAndGet();
      Fault fault;
      synchronized (tokenScript) {
        fault = tokenScript.poll();
      }
      return fault != null ? faulty(fault, logId, this::issueToken, request) : issueToken(request, logId);
    }
    JsonNode body = parse(request.getBody() == null ? "" : request.getBody().snapshot().utf8());
    if (path.startsWith(STORE_TOKEN_PATHS)) return storeAppAuth(path, body, logId);
    String id;
    String action;
    Matcher task = APPROVAL_TASK_PATH.matcher(path);
    Matcher instance = INSTANCE_CANCEL_PATH.matcher(path);
    if (task.matches()) {
      id = task.group(1);
      action = task.group(2);
    } else if (instance.matches()) {
      id = instance.group(1);
      action = "cancel_instance";
    } else if (path.equals(USER_TASK_QUERY_PATH)) {
      id = body.path("kunlun_user_id").asText("");
      action = "query";
    } else if (SimulatedApaas.route(path) != null) {
      id = SimulatedApaas.route(path).id();
      action = SimulatedApaas.route(path).action();
    } else if (SimulatedApprovalV4.actionOf(request.getMethod(), path).isPresent()) {
      // Feishu Approval (审批 v4)
      action = SimulatedApprovalV4.actionOf(request.getMethod(), path).get();
      id = SimulatedApprovalV4.subjectOf(action, path, body);
    } else {
      return new MockResponse().setResponseCode(404).addHeader("X-Tt-Logid", logId)
          .addHeader("Content-Type", "text/plain").setBody("404 page not found");
    }
    String authorization = request.getHeaders().get("Authorization");
    apiCalls.incrementAndGet();
    if (keepCalls) {
      calls.add(new Call(request.getPath(), id, action, authorization, request.getHeaders().get("Content-Type"),
          body, logId, arrived));
    }
    java.util.OptionalLong reset = quota.spend(action, arrived);
    if (reset.isPresent()) {
      return envelope(429, 99991400, "request trigger frequency limit", logId)
          .addHeader("x-ogw-ratelimit-limit", Integer.toString(quota.calls()))
          .addHeader("x-ogw-ratelimit-reset", Long.toString(reset.getAsLong()));
    }
    Fault fault = nextFault(id);
    return fault != null ? faulty(fault, logId, (r, l) -> handleTask(r, l, action, body), request)
        : handleTask(request, logId, action, body);
  }

  private MockResponse storeAppAuth(String path, JsonNode body, String logId) {
    SimulatedStoreApps.Answer answer = switch (path.substring(STORE_TOKEN_PATHS.length())) {
      case "app_ticket/resend" -> storeApps.resend(body);
      case "app_access_token" -> storeApps.appAccessToken(body);
      case "tenant_access_token" -> storeApps.tenantAccessToken(body);
      default -> null;
    };
    if (answer == null) {
      return new MockResponse().setResponseCode(404).addHeader("X-Tt-Logid", logId).setBody("404 page not found");
    }
    ObjectNode flat = JSON.createObjectNode().put("code", answer.code()).put("msg", answer.msg());
    if (answer.token() != null) flat.put(answer.field(), answer.token()).put("expire", answer.expire());
    return json(answer.code() == 0 ? 200 : 400, flat.toString(), logId);
  }

  private MockResponse handleTask(RecordedRequest request, String logId, String action, JsonNode body) {
    String authorization = request.getHeaders().get("Authorization");
    if (!isValid(authorization)) {
      return envelope(400, 99991663, "Invalid access token for authorization. Please make a request with token attached.",
          logId);
    }
    String taskTenant = taskTenants.get(action.equals("cancel_instance") ? instanceIdOf(request) : taskIdOf(request));
    if (taskTenant != null && !taskTenant.equals(tenantOf(authorization).orElse(""))) {
      return envelope(400, 2320001, "param is invalid", logId);
    }
    if (action.equals("query")) return query(body, logId);
    if (SimulatedApaas.handles(action)) return apaasAnswer(request, body, logId);
    if (action.startsWith("v4_")) return approvalV4Answer(request, action, body, logId);
    boolean valid = nonBlank(body.path("user_id")) && (!action.equals("cancel_instance") || nonBlank(body.path("opinion")));
    if (!valid) return envelope(400, 2320001, "param is invalid", logId);
    String id = action.equals("cancel_instance") ? instanceIdOf(request) : taskIdOf(request);
    carriedOut.merge(action + " " + id, 1, Integer::sum);
    if (action.equals("reject")) flowRuns.rejected(id, body);
    return envelope(200, 0, "success", logId);
  }

  // Feishu Approval (审批 v4)

  /** Feishu Approval's definitions, instances and tasks, which its endpoints read and change. */
  public SimulatedApprovalV4 approvalV4() {
    return approvalV4;
  }

  /**
   * Feishu Approval's event pushes: the apps' subscriptions, their event request URLs, and every event pushed with
   * the worker's answers.
   */
  public SimulatedApprovalEvents approvalEvents() {
    return approvalEvents;
  }

  /**
   * The holder of the instance's pending task approves or rejects it in Feishu, as a person in the Feishu app would;
   * the change is pushed as events to the app {@code appId} when it subscribed to the definition. False when the
   * instance has no pending task.
   */
  public boolean approverDecides(String appId, String instanceCode, boolean approve, String comment) {
    Optional<SimulatedApprovalV4.Instance> instance = approvalV4.instance(instanceCode);
    Optional<SimulatedApprovalV4.Task> pending = instance.flatMap(i -> i.tasks().stream()
        .filter(t -> t.status().equals("PENDING")).findFirst());
    if (pending.isEmpty()) return false;
    ObjectNode body = JSON.createObjectNode().put("approval_code", instance.get().approvalCode())
        .put("instance_code", instance.get().code()).put("user_id", pending.get().userId())
        .put("task_id", pending.get().id()).put("comment", comment);
    String action = approve ? "v4_approve_task" : "v4_reject_task";
    String path = SimulatedApprovalV4.PREFIX + (approve ? "tasks/approve" : "tasks/reject");
    return approvalV4.answer(appId, action, path, Optional.of("user_id"), body, approvalEvents).code() == 0;
  }

  /** Feishu's long connections (长连接): the endpoint that hands them out, and the self-built apps' open ones. */
  public SimulatedLongConnections longConnections() {
    return longConnections;
  }

  private MockResponse approvalV4Answer(RecordedRequest request, String action, JsonNode body, String logId) {
    String path = request.getRequestUrl().encodedPath();
    String appId = appIdOf(request.getHeaders().get("Authorization"));
    if (action.equals("v4_subscribe")) {
      boolean first = approvalEvents.subscribe(appId, SimulatedApprovalV4.subjectOf(action, path, body));
      if (!first) return envelope(400, SimulatedApprovalV4.SUBSCRIPTION_EXISTED, "subscription existed", logId);
      carriedOut.merge(action + " " + SimulatedApprovalV4.subjectOf(action, path, body), 1, Integer::sum);
      return json(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}", logId);
    }
    SimulatedApprovalV4.Answer answer = approvalV4.answer(appId, action, path,
        java.util.Optional.ofNullable(request.getRequestUrl().queryParameter("user_id_type")), body, approvalEvents);
    if (answer.code() != 0) return envelope(answer.code() == 1395001 ? 500 : 400, answer.code(), answer.msg(), logId);
    carriedOut.merge(action + " " + SimulatedApprovalV4.subjectOf(action, path, body), 1, Integer::sum);
    ObjectNode envelope = JSON.createObjectNode().put("code", 0).put("msg", "success");
    envelope.set("data", answer.data());
    return json(200, envelope.toString(), logId);
  }

  private static String taskIdOf(RecordedRequest request) {
    Matcher task = APPROVAL_TASK_PATH.matcher(request.getRequestUrl().encodedPath());
    return task.matches() ? task.group(1) : "";
  }

  private static String instanceIdOf(RecordedRequest request) {
    Matcher instance = INSTANCE_CANCEL_PATH.matcher(request.getRequestUrl().encodedPath());
    return instance.matches() ? instance.group(1) : "";
  }

  /**
   * How often Feishu carried out each action, as {@code "reject 1785996265147395"}: calls answered with success, not
   * those refused by the quota or a fault. More than 1 is a double action.
   */
  public Map<String, Integer> actionsCarriedOut() {
    return Map.copyOf(carriedOut);
  }

  // --- aPaaS flows and user tasks (execute, expediting, rollback, rollback_points, cc, chat_group) ---
  // Their calls, scripts and actionsCarriedOut() are keyed by the flow id for an execute and by the user task id for
  // the others; the action is "flow_execute" or the path's last segment.

  /**
   * The code the simulator answers a flow's repeated idempotency key with. Feishu documents none ("a repeat makes the
   * request fail"), so this one is the simulator's own, not Feishu's.
   */
  public static final int SIMULATED_REPEATED_KEY_CODE = SimulatedApaas.SIMULATED_REPEATED_KEY_CODE;

  /** The out params (a JSON string, as Feishu answers them) that executing {@code flowId} answers with. */
  public void flowOutParams(String flowId, String outParamsJson) {
    apaas.outParams(flowId, outParamsJson);
  }

  /** The rollback points of a user task; a rollback of that task is then accepted only to one of their ids. */
  public void rollbackPoints(String userTaskId, List<JsonNode> tasks) {
    apaas.rollbackPoints(userTaskId, tasks);
  }

  private final SimulatedApaas apaas = new SimulatedApaas();

  /**
   * The flows whose runs have a human task and post its decision through their HTTP node: declare one with
   * {@link SimulatedFlowRuns#humanTask}, let the approver decide with {@link SimulatedFlowRuns#decide}.
   */
  public SimulatedFlowRuns flowRuns() {
    return flowRuns;
  }

  private MockResponse apaasAnswer(RecordedRequest request, JsonNode body, String logId) {
    SimulatedApaas.Route route = SimulatedApaas.route(request.getRequestUrl().encodedPath());
    SimulatedApaas.Answer answer = apaas.answer(route, body);
    if (answer.code() != 0) return envelope(answer.httpStatus(), answer.code(), answer.msg(), logId);
    carriedOut.merge(route.action() + " " + route.id(), 1, Integer::sum);
    if (route.action().equals("flow_execute")) {
      flowRuns.executed(route.id(), answer.data().path("execution_id").asText(), body);
    } else if (route.action().equals("expediting")) {
      flowRuns.expedited(route.id(), body);
    }
    ObjectNode ok = JSON.createObjectNode().put("code", 0).put("msg", answer.msg());
    ok.set("data", answer.data());
    return json(200, ok.toString(), logId);
  }

  // --- end of aPaaS flows and user tasks ---

  private MockResponse query(JsonNode body, String logId) {
    if (!nonBlank(body.path("kunlun_user_id"))) return envelope(400, 2320001, "param is invalid", logId);
    String user = body.path("kunlun_user_id").asText();
    List<JsonNode> tasks = new java.util.ArrayList<>(userTasks.getOrDefault(user, List.of()));
    tasks.addAll(flowRuns.tasksOf(user, body.path("type").asText("pending")));
    int offset = Integer.parseInt(body.path("offset").asText("0"));
    int limit = Integer.parseInt(body.path("limit").asText("20"));
    ObjectNode answer = JSON.createObjectNode().put("code", 0).put("msg", "success");
    ObjectNode data = answer.putObject("data");
    data.put("count", Integer.toString(tasks.size()));
    tasks.stream().skip(offset).limit(limit).forEach(data.putArray("tasks")::add);
    return json(200, answer.toString(), logId);
  }

  private static boolean nonBlank(JsonNode value) {
    return value.isTextual() && !value.asText().isBlank();
  }

  private MockResponse issueToken(RecordedRequest request, String logId) {
    JsonNode body = parse(request.getBody() == null ? "" : request.getBody().snapshot().utf8());
    String appId = body.path("app_id").asText();
    if (!APPS.containsKey(appId) || !APPS.get(appId).equals(body.path("app_secret").asText())) {
      return envelope(400, 10014, "app secret invalid", logId);
    }
    String token = "t-sim" + Long.toHexString(Double.doubleToLongBits(Math.random())) + tokenFetches.get();
    validTokens.put(token, clock.instant().plusSeconds(tokenLifetimeSeconds));
    issuedTokens.add(token);
    tokenApps.put(token, appId);
    ObjectNode answer = JSON.createObjectNode().put("code", 0).put("msg", "ok")
        .put("tenant_access_token", token).put("expire", tokenLifetimeSeconds);
    return json(200, answer.toString(), logId);
  }

  private interface Normal {
    MockResponse answer(RecordedRequest request, String logId);
  }

  private MockResponse faulty(Fault fault, String logId, Normal normal, RecordedRequest request)
      throws InterruptedException {
    return switch (fault) {
      case Fault.Normal n -> normal.answer(request, logId);
      case Fault.FeishuCode c -> envelope(c.httpStatus(), c.code(), c.msg(), logId);
      case Fault.RateLimited r -> envelope(429, 99991400, "request trigger frequency limit", logId)
          .addHeader("x-ogw-ratelimit-limit", "100")
          .addHeader("x-ogw-ratelimit-reset", Long.toString(r.resetSeconds()));
      case Fault.RawHttp raw -> new MockResponse().setResponseCode(raw.httpStatus()).addHeader("X-Tt-Logid", logId)
          .addHeader("Content-Type", raw.contentType()).setBody(raw.body());
      case Fault.Disconnect d -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
      case Fault.HalfBody h -> new MockResponse().setResponseCode(200).addHeader("X-Tt-Logid", logId)
          .addHeader("Content-Type", "application/json; charset=utf-8")
          .setBody(new Buffer().writeUtf8("{\"code\":0,\"msg\":\"succ"))
          .setHeader("Content-Length", "64")
          .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
      case Fault.Slow s -> normal.answer(request, logId)
          .setHeadersDelay(s.delay().toMillis(), TimeUnit.MILLISECONDS);
      case Fault.Trickle t -> normal.answer(request, logId)
          .throttleBody(1, t.perByte().toMillis(), TimeUnit.MILLISECONDS);
      case Fault.WithoutLogId w -> new MockResponse().setResponseCode(w.httpStatus())
          .addHeader("Content-Type", "application/json; charset=utf-8").setBody(w.body());
      case Fault.LostAnswer l -> {
        normal.answer(request, logId);
        yield new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
      }
      case Fault.ExpireToken e -> {
        String authorization = request.getHeaders().get("Authorization");
        if (authorization != null) validTokens.remove(authorization.replaceFirst("^Bearer ", ""));
        yield normal.answer(request, logId);
      }
    };
  }

  private Fault nextFault(String taskId) {
    Deque<Fault> script = scripts.get(taskId);
    if (script == null) return null;
    synchronized (script) {
      return script.poll();
    }
  }

  private boolean isValid(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) return false;
    if (storeApps.ownerOf(authorization.substring("Bearer ".length())).isPresent()) return true;
    Instant expiresAt = validTokens.get(authorization.substring("Bearer ".length()));
    return expiresAt != null && clock.instant().isBefore(expiresAt);
  }

  private static MockResponse envelope(int httpStatus, int code, String msg, String logId) {
    ObjectNode body = JSON.createObjectNode().put("code", code).put("msg", msg);
    if (code == 0) {
      body.putObject("data");
    } else {
      ObjectNode error = body.putObject("error");
      error.put("log_id", logId).put("message", msg);
      error.putArray("details");
      error.putArray("permission_violations");
      error.putArray("field_violations");
      error.putArray("helps");
    }
    return json(httpStatus, body.toString(), logId);
  }

  private static MockResponse json(int httpStatus, String body, String logId) {
    return new MockResponse().setResponseCode(httpStatus).addHeader("X-Tt-Logid", logId)
        .addHeader("Content-Type", "application/json; charset=utf-8").setBody(body);
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  @Override
  public void close() {
    storeApps.close();
    flowRuns.close();
    approvalEvents.close();
    longConnections.close();
    try {
      server.close();
    } catch (java.io.IOException alreadyClosed) {
      // nothing is left to release
    }
  }
}
