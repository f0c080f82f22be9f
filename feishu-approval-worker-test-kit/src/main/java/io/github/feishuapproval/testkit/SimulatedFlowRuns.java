package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * aPaaS flows that run a human task and post its decision through their HTTP node. A test declares a flow with
 * {@link #humanTask}; each successful execute of that flow then runs: one pending user task for the approver, listed by
 * {@code user_task/query} with {@code workflow_instance.id} = the execution id, until the approver decides
 * ({@link #decide}) or the worker rejects the task ({@code approval_tasks/{taskId}/reject}). Either way the task ends
 * and the node posts {@code {decision, taskId, userId, opinion}} with message id {@code <executionId>/<taskId>}.
 *
 * <pre>{@code
 * feishu.flowRuns().humanTask("expense_approval", "1783981209205999", callbackUrl, secret, "requestId");
 * // ... the process starts the flow with params {requestId: "REQ-1", ...}
 * feishu.flowRuns().decide("REQ-1", "agree", "1783981209205999", "同意");
 * }</pre>
 */
public final class SimulatedFlowRuns implements AutoCloseable {

  /**
   * A flow with one human task: its approver's decision is posted to {@code callbackUrl} with {@code secret}, and
   * correlated by the value of the flow's input {@code correlationParam}.
   */
  public record HumanTask(String flowId, String approverUserId, URI callbackUrl, String secret,
      String correlationParam) {}

  /** One run of a declared flow; {@code decision} is empty while its task is pending. */
  public record Run(String flowId, String executionId, String taskId, String approverUserId, String correlationKey,
      Instant started, Optional<String> decision) {
    public boolean pending() {
      return decision.isEmpty();
    }
  }

  /** One expediting of a run's task. */
  public record Reminder(String taskId, String operatorUserId, List<String> remindedUserIds, String opinion,
      Instant at) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Map<String, HumanTask> flows = new ConcurrentHashMap<>();
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final List<Reminder> reminders = new CopyOnWriteArrayList<>();
  /** What the node posts: the message id and the decision's variables. */
  private record Post(String messageId, Map<String, Object> variables) {}

  private final Map<String, Post> posted = new ConcurrentHashMap<>();
  private final List<CompletableFuture<SimulatedFlowCallbacks.Delivery>> posting = new CopyOnWriteArrayList<>();
  private final AtomicLong taskIds = new AtomicLong(1797500000000000L);
  // the node posts from its own thread: the worker's reject call waits for the simulator, the callback for the worker
  private final ExecutorService node = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "simulated-flow-http-node");
    thread.setDaemon(true);
    return thread;
  });

  SimulatedFlowRuns(Clock clock) {
    this.clock = clock;
  }

  /** Every successful execute of {@code flowId} from now on runs a human task for {@code approverUserId}. */
  public void humanTask(String flowId, String approverUserId, URI callbackUrl, String secret, String correlationParam) {
    flows.put(flowId, new HumanTask(Objects.requireNonNull(flowId), Objects.requireNonNull(approverUserId),
        Objects.requireNonNull(callbackUrl), Objects.requireNonNull(secret), Objects.requireNonNull(correlationParam)));
  }

  /**
   * The approver decides the run's task, found by its execution id or correlation key: the task ends and the node
   * posts the decision. Returns how the post went.
   */
  public SimulatedFlowCallbacks.Delivery decide(String executionIdOrKey, String decision, String userId,
      String opinion) {
    Run run = pendingRun(executionIdOrKey);
    return end(run, decision, userId, opinion).orElseThrow(
        () -> new IllegalStateException("the task of execution " + run.executionId() + " is no longer pending"));
  }

  /** The node posts the run's decision once more, with the same message id, as a node retrying after a lost answer. */
  public SimulatedFlowCallbacks.Delivery postAgain(String executionIdOrKey) {
    Run run = find(executionIdOrKey).orElseThrow(() -> new IllegalArgumentException("no run " + executionIdOrKey));
    Post last = posted.get(run.executionId());
    if (last == null) throw new IllegalStateException("execution " + run.executionId() + " has posted nothing yet");
    return post(run, last);
  }

  /** The run whose execution id or correlation key this is. */
  public Optional<Run> run(String executionIdOrKey) {
    return find(executionIdOrKey);
  }

  public List<Run> runs() {
    return List.copyOf(runs.values());
  }

  /** Every expediting of the task, in order. */
  public List<Reminder> reminders(String taskId) {
    return reminders.stream().filter(r -> r.taskId().equals(taskId)).toList();
  }

  /** Waits until every post the node started on its own (after a reject) got its answer; returns them in order. */
  public List<SimulatedFlowCallbacks.Delivery> awaitPosts(Duration timeout) {
    List<SimulatedFlowCallbacks.Delivery> done = new ArrayList<>();
    for (CompletableFuture<SimulatedFlowCallbacks.Delivery> post : posting) {
      try {
        done.add(post.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the node's post", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("the node's post did not end", e);
      }
    }
    return done;
  }

  void reset() {
    flows.clear();
    runs.clear();
    reminders.clear();
    posted.clear();
    posting.clear();
  }

  /** A successful execute: a declared flow starts a run with a new pending task. */
  void executed(String flowId, String executionId, JsonNode body) {
    HumanTask flow = flows.get(flowId);
    if (flow == null) return;
    JsonNode key = params(body).path(flow.correlationParam());
    String correlationKey = key.isValueNode() && !key.isNull() ? key.asText() : null;
    runs.put(executionId, new Run(flowId, executionId, Long.toString(taskIds.incrementAndGet()),
        flow.approverUserId(), correlationKey, clock.instant(), Optional.empty()));
  }

  /** A successful expediting of a run's task is a reminder. */
  void expedited(String taskId, JsonNode body) {
    if (runOfTask(taskId).isEmpty()) return;
    List<String> users = new ArrayList<>();
    body.path("expediting_user_ids").forEach(id -> users.add(id.asText()));
    reminders.add(new Reminder(taskId, body.path("operator_user_id").asText(), List.copyOf(users),
        body.path("opinion").asText(""), clock.instant()));
  }

  /** A successful reject of a run's pending task ends it; the node posts "rejected" from its own thread. */
  void rejected(String taskId, JsonNode body) {
    runOfTask(taskId).filter(Run::pending).ifPresent(run -> posting.add(CompletableFuture.supplyAsync(() ->
        end(run, "rejected", body.path("user_id").asText(), body.path("opinion").asText("")).orElse(null), node)));
  }

  /** The tasks {@code user_task/query} lists for the user: pending, or archived (ended, with the decision). */
  List<JsonNode> tasksOf(String kunlunUserId, String type) {
    boolean archived = "archived".equals(type);
    return runs.values().stream()
        .filter(run -> run.approverUserId().equals(kunlunUserId) && run.pending() != archived)
        .sorted(java.util.Comparator.comparing(Run::taskId))
        .map(SimulatedFlowRuns::task).toList();
  }

  private static JsonNode task(Run run) {
    ObjectNode task = JSON.createObjectNode().put("task_id", run.taskId())
        .put("task_start_time", Long.toString(run.started().toEpochMilli()));
    ObjectNode instance = task.putObject("workflow_instance").put("id", run.executionId())
        .put("status", run.decision().orElse("in_process"));
    instance.putArray("label").addObject().put("language_code", 2052).put("text", run.flowId());
    task.putArray("summarys");
    return task;
  }

  private Optional<SimulatedFlowCallbacks.Delivery> end(Run run, String decision, String userId, String opinion) {
    return close(run, decision, userId, opinion).map(post -> post(run, post));
  }

  /** Ends the task once: of a decision and a reject arriving together, the first wins and the other finds it ended. */
  private synchronized Optional<Post> close(Run run, String decision, String userId, String opinion) {
    Run now = runs.get(run.executionId());
    if (now == null || !now.pending()) return Optional.empty();
    runs.put(run.executionId(), new Run(now.flowId(), now.executionId(), now.taskId(), now.approverUserId(),
        now.correlationKey(), now.started(), Optional.of(decision)));
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("decision", decision);
    variables.put("taskId", run.taskId());
    variables.put("userId", userId);
    variables.put("opinion", opinion == null ? "" : opinion);
    Post post = new Post(run.executionId() + "/" + run.taskId(), Map.copyOf(variables));
    posted.put(run.executionId(), post);
    return Optional.of(post);
  }

  private SimulatedFlowCallbacks.Delivery post(Run run, Post post) {
    HumanTask flow = flows.get(run.flowId());
    if (run.correlationKey() == null) {
      throw new IllegalStateException("flow " + run.flowId() + " was started without its input "
          + flow.correlationParam() + ", so its node has no correlation key to post");
    }
    return SimulatedFlowCallbacks.to(flow.callbackUrl(), flow.secret())
        .decide(run.correlationKey(), post.messageId(), post.variables());
  }

  private Run pendingRun(String executionIdOrKey) {
    return find(executionIdOrKey).filter(Run::pending).or(() -> runs.values().stream()
            .filter(run -> run.pending() && executionIdOrKey.equals(run.correlationKey())).findFirst())
        .orElseThrow(() -> new IllegalArgumentException("no pending run with execution id or key " + executionIdOrKey));
  }

  private Optional<Run> find(String executionIdOrKey) {
    Run byExecution = runs.get(executionIdOrKey);
    if (byExecution != null) return Optional.of(byExecution);
    return runs.values().stream().filter(run -> executionIdOrKey.equals(run.correlationKey()))
        .max(java.util.Comparator.comparing(Run::started));
  }

  private Optional<Run> runOfTask(String taskId) {
    return runs.values().stream().filter(run -> run.taskId().equals(taskId)).findFirst();
  }

  private static JsonNode params(JsonNode body) {
    JsonNode params = body.path("params");
    if (!params.isTextual()) return JSON.createObjectNode();
    try {
      JsonNode parsed = JSON.readTree(params.textValue());
      return parsed == null ? JSON.createObjectNode() : parsed;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  @Override
  public void close() {
    node.shutdownNow();
  }
}
