package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Feishu's aPaaS flow and user-task endpoints as the simulator answers them: each checks the fields its page marks
 * required and the bounds of its lists, and answers 400 / 2320001 ("param is invalid") otherwise, as the pages document.
 * A flow's execute refuses an idempotency key used before in the same aPaaS application.
 */
final class SimulatedApaas {

  /**
   * The simulator's own code for a repeated idempotency key. Feishu's page says only that "a repeat makes the request
   * fail" and documents no code, so this one is made up and must not be taken for Feishu's.
   */
  static final int SIMULATED_REPEATED_KEY_CODE = 2329901;

  private static final Pattern FLOW_PATH =
      Pattern.compile("/open-apis/apaas/v1/applications/([^/]+)/flows/([^/]+)/(execute)");
  private static final Pattern USER_TASK_PATH =
      Pattern.compile("/open-apis/apaas/v1/user_tasks/([^/]+)/(expediting|rollback|rollback_points|cc|chat_group)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the simulator answers: an HTTP status, Feishu's code and msg, and the data of a success. */
  record Answer(int httpStatus, int code, String msg, ObjectNode data) {
    static Answer invalid() {
      return new Answer(400, 2320001, "param is invalid", null);
    }

    static Answer ok(ObjectNode data) {
      return new Answer(200, 0, "success", data);
    }
  }

  /** The id scripts and calls are keyed by (the flow id, or the user task id) and the action's name. */
  record Route(String id, String action, String namespace) {}

  private final Set<String> usedKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, String> outParams = new ConcurrentHashMap<>();
  private final Map<String, List<JsonNode>> rollbackPoints = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1797000000000000L);

  /** The route of an aPaaS flow or user-task path, or null for any other path. */
  static Route route(String path) {
    Matcher flow = FLOW_PATH.matcher(path);
    if (flow.matches()) return new Route(flow.group(2), "flow_execute", flow.group(1));
    Matcher task = USER_TASK_PATH.matcher(path);
    if (task.matches()) return new Route(task.group(1), task.group(2), "");
    return null;
  }

  static boolean handles(String action) {
    return action.equals("flow_execute") || USER_TASK_ACTIONS.contains(action);
  }

  private static final Set<String> USER_TASK_ACTIONS =
      Set.of("expediting", "rollback", "rollback_points", "cc", "chat_group");

  void outParams(String flowId, String json) {
    outParams.put(flowId, json);
  }

  void rollbackPoints(String taskId, List<JsonNode> tasks) {
    rollbackPoints.put(taskId, List.copyOf(tasks));
  }

  Answer answer(Route route, JsonNode body) {
    if (route.action().equals("flow_execute")) return execute(route, body);
    if (!text(body.path("operator_user_id"))) return Answer.invalid();
    return switch (route.action()) {
      case "expediting" -> ids(body.path("expediting_user_ids"), 1, 20) ? Answer.ok(empty()) : Answer.invalid();
      case "cc" -> ids(body.path("cc_user_ids"), 1, 10) ? Answer.ok(empty()) : Answer.invalid();
      case "rollback" -> rollback(route.id(), body);
      case "rollback_points" -> {
        ObjectNode data = empty();
        rollbackPoints.getOrDefault(route.id(), List.of()).forEach(data.putArray("tasks")::add);
        yield Answer.ok(data);
      }
      case "chat_group" -> chatGroup(body);
      default -> Answer.invalid();
    };
  }

  private Answer execute(Route route, JsonNode body) {
    if (!operator(body.path("operator"))) return Answer.invalid();
    JsonNode params = body.path("params");
    if (!params.isMissingNode() && !(params.isTextual() && parse(params.textValue()) != null)) return Answer.invalid();
    JsonNode async = body.path("is_async");
    if (!async.isMissingNode() && !async.isBoolean()) return Answer.invalid();
    JsonNode masks = body.path("loop_masks");
    if (!masks.isMissingNode() && !ids(masks, 0, Integer.MAX_VALUE)) return Answer.invalid();
    JsonNode key = body.path("idempotent_key");
    if (!key.isMissingNode()) {
      if (!text(key)) return Answer.invalid();
      if (!usedKeys.add(route.namespace() + " " + key.textValue())) {
        return new Answer(400, SIMULATED_REPEATED_KEY_CODE,
            "idempotent_key has been used before (a code of the simulator: Feishu documents none)", null);
      }
    }
    ObjectNode data = empty();
    data.put("execution_id", Long.toString(ids.incrementAndGet()));
    // Feishu names "end" as one status and documents no others; an asynchronous start is answered before the end
    data.put("status", async.asBoolean(false) ? "running" : "end");
    data.put("out_params", outParams.getOrDefault(route.id(), "{}"));
    data.put("error_msg", "");
    data.put("code", "");
    return Answer.ok(data);
  }

  private Answer rollback(String taskId, JsonNode body) {
    if (!text(body.path("to_task_id")) || !text(body.path("opinion"))) return Answer.invalid();
    List<JsonNode> points = rollbackPoints.get(taskId);
    boolean known = points == null
        || points.stream().anyMatch(p -> p.path("id").asText().equals(body.path("to_task_id").asText()));
    return known ? Answer.ok(empty()) : Answer.invalid();
  }

  private Answer chatGroup(JsonNode body) {
    JsonNode invite = body.path("invite_user_ids");
    if (!invite.isMissingNode() && !ids(invite, 1, 20)) return Answer.invalid();
    JsonNode chat = body.path("chat_id");
    ObjectNode data = empty();
    data.put("chat_id", text(chat) ? chat.textValue() : "oc_sim" + Long.toHexString(ids.incrementAndGet()));
    return Answer.ok(data);
  }

  /** The operator is a JSON string naming the user by {@code _id} or {@code email}, at least one. */
  private static boolean operator(JsonNode operator) {
    if (!operator.isTextual()) return false;
    JsonNode parsed = parse(operator.textValue());
    if (parsed == null || !parsed.isObject()) return false;
    JsonNode id = parsed.path("_id");
    return id.isIntegralNumber() || text(id) || text(parsed.path("email"));
  }

  private static boolean ids(JsonNode list, int min, int max) {
    if (!list.isArray() || list.size() < min || list.size() > max) return false;
    for (JsonNode id : list) {
      if (!text(id)) return false;
    }
    return true;
  }

  private static boolean text(JsonNode value) {
    return value.isTextual() && !value.textValue().isBlank();
  }

  private static ObjectNode empty() {
    return JSON.createObjectNode();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }
}
