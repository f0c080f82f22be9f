package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Feishu Approval (审批 v4) as the simulator plays it: approval definitions of one approval node, their instances
 * created at most once per creation {@code uuid}, and the instances' tasks, which the task actions move on. User ids
 * arrive as the query's {@code user_id_type} says: a user {@code u1} is {@code ou_u1} as an open_id and {@code on_u1}
 * as a union_id.
 */
public final class SimulatedApprovalV4 {

  static final String PREFIX = "/open-apis/approval/v4/";
  private static final Pattern GET_INSTANCE = Pattern.compile("/open-apis/approval/v4/instances/([^/]+)");
  private static final Map<String, String> POSTS = Map.of(
      "instances", "v4_create_instance",
      "tasks/approve", "v4_approve_task",
      "tasks/reject", "v4_reject_task",
      "tasks/transfer", "v4_transfer_task",
      "tasks/resubmit", "v4_resubmit_task",
      "instances/cancel", "v4_cancel_instance",
      "instances/cc", "v4_cc_instance",
      "instances/add_sign", "v4_add_sign",
      "instances/specified_rollback", "v4_specified_rollback");
  private static final Pattern SUBSCRIBE = Pattern.compile("/open-apis/approval/v4/approvals/([^/]+)/subscribe");
  /** Feishu's answer to a subscription of a definition the app subscribed to before. */
  public static final int SUBSCRIPTION_EXISTED = 1390007;
  /** Feishu's answer to a creation whose uuid was used before, as its documentation gives the code. */
  public static final int UUID_REPEATED = 60012;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the simulator answers: code 0 with data, or a business code. */
  record Answer(int code, String msg, ObjectNode data) {
    static Answer error(int code, String msg) {
      return new Answer(code, msg, null);
    }
  }

  /** One task of an instance, as the GET lists it. */
  public record Task(String id, String userId, String status, String nodeId, String nodeName) {}

  /** One instance, as the simulator holds it now. */
  public record Instance(String code, String approvalCode, String uuid, String initiatorUserId, String form,
      String status, List<Task> tasks, List<String> ccUserIds) {}

  private final Map<String, String> definitions = new ConcurrentHashMap<>();
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(7_300_000_000_000_000L);

  /** An approval definition whose one approval node is assigned to the user {@code approverUserId} (a user_id). */
  public void definition(String approvalCode, String approverUserId) {
    definitions.put(approvalCode, approverUserId);
  }

  /** The instance with this code, or with this creation uuid. */
  public Optional<Instance> instance(String codeOrUuid) {
    Instance byCode = instances.get(codeOrUuid);
    if (byCode != null) return Optional.of(byCode);
    return instances.values().stream().filter(i -> codeOrUuid.equals(i.uuid())).findFirst();
  }

  /** Every instance of the definition, in no particular order. */
  public List<Instance> instancesOf(String approvalCode) {
    return instances.values().stream().filter(i -> i.approvalCode().equals(approvalCode)).toList();
  }

  public void reset() {
    definitions.clear();
    instances.clear();
  }

  /** The action a request asks for, or empty when it is none of these APIs. */
  static Optional<String> actionOf(String method, String path) {
    if (!path.startsWith(PREFIX)) return Optional.empty();
    if (method.equals("GET")) {
      return GET_INSTANCE.matcher(path).matches() ? Optional.of("v4_get_instance") : Optional.empty();
    }
    if (SUBSCRIBE.matcher(path).matches()) return Optional.of("v4_subscribe");
    return Optional.ofNullable(POSTS.get(path.substring(PREFIX.length())));
  }

  /** What the call is about, for scripts and for {@link FeishuSimulator#callsFor}. */
  static String subjectOf(String action, String path, JsonNode body) {
    return switch (action) {
      case "v4_create_instance" -> body.path("approval_code").asText("");
      case "v4_get_instance" -> {
        Matcher get = GET_INSTANCE.matcher(path);
        yield get.matches() ? get.group(1) : "";
      }
      case "v4_cancel_instance", "v4_cc_instance" -> body.path("instance_code").asText("");
      case "v4_subscribe" -> {
        Matcher subscribe = SUBSCRIBE.matcher(path);
        yield subscribe.matches() ? subscribe.group(1) : "";
      }
      default -> body.path("task_id").asText("");
    };
  }

  /**
   * The answer to a call the app {@code appId} made; each instance the call changed is told to {@code events}, which
   * pushes its events to the apps subscribed.
   */
  synchronized Answer answer(String appId, String action, String path, Optional<String> userIdType, JsonNode body,
      SimulatedApprovalEvents events) {
    Map<String, Instance> before = Map.copyOf(instances);
    Answer answer = answer(action, path, userIdType, body);
    if (answer.code() == 0 && appId != null) {
      instances.forEach((code, now) -> {
        if (!now.equals(before.get(code))) events.changed(appId, before.get(code), now);
      });
    }
    return answer;
  }

  synchronized Answer answer(String action, String path, Optional<String> userIdType, JsonNode body) {
    String idType = userIdType.orElse("open_id");
    if (!List.of("open_id", "user_id", "union_id").contains(idType)) return invalid();
    return switch (action) {
      case "v4_create_instance" -> create(body);
      case "v4_get_instance" -> get(subjectOf(action, path, body));
      case "v4_cancel_instance" -> cancel(body, idType);
      case "v4_cc_instance" -> cc(body);
      // add_sign has no user_id_type: its ids are user_ids
      case "v4_add_sign" -> onTask(body, "user_id", this::addSign);
      case "v4_specified_rollback" -> rollback(body, idType);
      default -> onTask(body, idType, (instance, task, b) -> act(action, instance, task, b, idType));
    };
  }

  private Answer create(JsonNode body) {
    String approvalCode = text(body, "approval_code");
    String initiator = !text(body, "user_id").isEmpty() ? text(body, "user_id")
        : userOf(text(body, "open_id"), "open_id");
    if (approvalCode.isEmpty() || initiator.isEmpty() || !isFormText(body.path("form"))) return invalid();
    if (!definitions.containsKey(approvalCode)) return Answer.error(1390002, "approval code not found");
    String uuid = text(body, "uuid");
    if (!uuid.isEmpty() && instance(uuid).isPresent()) {
      return Answer.error(UUID_REPEATED, "uuid already exists: the instance was created before");
    }
    String code = java.util.UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
    List<Task> tasks = List.of(new Task(nextId(), definitions.get(approvalCode), "PENDING", "APPROVE", "Approve"));
    instances.put(code, new Instance(code, approvalCode, uuid, initiator, body.path("form").textValue(), "PENDING",
        tasks, List.of()));
    return ok(JSON.createObjectNode().put("instance_code", code));
  }

  private Answer get(String codeOrUuid) {
    Optional<Instance> found = instance(codeOrUuid);
    if (found.isEmpty()) return Answer.error(1390003, "instance code not found");
    Instance instance = found.get();
    ObjectNode data = JSON.createObjectNode()
        .put("approval_code", instance.approvalCode())
        .put("approval_name", "Simulated approval")
        .put("instance_code", instance.code())
        .put("serial_number", "202601010001")
        .put("status", instance.status())
        .put("uuid", instance.uuid())
        .put("user_id", instance.initiatorUserId())
        .put("open_id", "ou_" + instance.initiatorUserId())
        .put("form", instance.form());
    ArrayNode tasks = data.putArray("task_list");
    for (Task task : instance.tasks()) {
      tasks.addObject().put("id", task.id()).put("user_id", task.userId()).put("open_id", "ou_" + task.userId())
          .put("status", task.status()).put("node_id", task.nodeId()).put("node_name", task.nodeName())
          .put("custom_node_id", "").put("type", "AND");
    }
    data.putArray("timeline").addObject().put("type", "START").put("user_id", instance.initiatorUserId());
    data.putArray("comment_list");
    return ok(data);
  }

  private interface TaskAction {
    Answer on(Instance instance, Task task, JsonNode body);
  }

  /** The checks every task action shares: the ids are there, the instance and task exist, the user holds the task. */
  private Answer onTask(JsonNode body, String idType, TaskAction action) {
    String user = userOf(text(body, "user_id"), idType);
    if (text(body, "approval_code").isEmpty() || text(body, "instance_code").isEmpty() || user.isEmpty()
        || text(body, "task_id").isEmpty()) {
      return invalid();
    }
    Instance instance = instances.get(text(body, "instance_code"));
    if (instance == null || !instance.approvalCode().equals(text(body, "approval_code"))) {
      return Answer.error(1390003, "instance code not found");
    }
    Optional<Task> task = instance.tasks().stream().filter(t -> t.id().equals(text(body, "task_id"))).findFirst();
    if (task.isEmpty()) return invalid();
    if (!task.get().userId().equals(user) || !task.get().status().equals("PENDING")) {
      return Answer.error(1390009, "no permission: the task is not this user's pending task");
    }
    return action.on(instance, task.get(), body);
  }

  private Answer act(String action, Instance instance, Task task, JsonNode body, String idType) {
    return switch (action) {
      case "v4_approve_task" -> {
        Instance moved = with(instance, task, "APPROVED", null);
        boolean pendingLeft = moved.tasks().stream().anyMatch(t -> t.status().equals("PENDING"));
        yield done(pendingLeft ? moved : status(moved, "APPROVED"));
      }
      case "v4_reject_task" -> done(status(with(instance, task, "REJECTED", null), "REJECTED"));
      case "v4_transfer_task" -> {
        String to = userOf(text(body, "transfer_user_id"), idType);
        if (to.isEmpty()) yield invalid();
        yield done(with(instance, task, "TRANSFERRED", new Task(nextId(), to, "PENDING", task.nodeId(),
            task.nodeName())));
      }
      case "v4_resubmit_task" -> {
        if (!isFormText(body.path("form"))) yield invalid();
        yield done(with(instance, task, "DONE", new Task(nextId(), definitions.get(instance.approvalCode()),
            "PENDING", "APPROVE", "Approve")));
      }
      default -> invalid();
    };
  }

  private Answer addSign(Instance instance, Task task, JsonNode body) {
    JsonNode users = body.path("add_sign_user_ids");
    int type = body.path("add_sign_type").asInt(0);
    if (!users.isArray() || users.isEmpty() || type < 1 || type > 3) return invalid();
    List<Task> tasks = new ArrayList<>(instance.tasks());
    for (JsonNode user : users) {
      tasks.add(new Task(nextId(), user.asText(), "PENDING", task.nodeId(), task.nodeName()));
    }
    return done(new Instance(instance.code(), instance.approvalCode(), instance.uuid(), instance.initiatorUserId(),
        instance.form(), instance.status(), List.copyOf(tasks), instance.ccUserIds()));
  }

  private Answer rollback(JsonNode body, String idType) {
    String user = userOf(text(body, "user_id"), idType);
    JsonNode keys = body.path("task_def_key_list");
    if (user.isEmpty() || text(body, "task_id").isEmpty() || !keys.isArray() || keys.isEmpty()) return invalid();
    Optional<Instance> instance = instances.values().stream()
        .filter(i -> i.tasks().stream().anyMatch(t -> t.id().equals(text(body, "task_id")))).findFirst();
    if (instance.isEmpty()) return invalid();
    Task task = instance.get().tasks().stream().filter(t -> t.id().equals(text(body, "task_id"))).findFirst().get();
    if (!task.userId().equals(user) || !task.status().equals("PENDING")) {
      return Answer.error(1390009, "no permission: the task is not this user's pending task");
    }
    return done(with(instance.get(), task, "ROLLBACK", new Task(nextId(), instance.get().initiatorUserId(), "PENDING",
        keys.get(0).asText(), "Rolled back to")));
  }

  private Answer cancel(JsonNode body, String idType) {
    String user = userOf(text(body, "user_id"), idType);
    if (text(body, "approval_code").isEmpty() || text(body, "instance_code").isEmpty() || user.isEmpty()) {
      return invalid();
    }
    Instance instance = instances.get(text(body, "instance_code"));
    if (instance == null || !instance.approvalCode().equals(text(body, "approval_code"))) {
      return Answer.error(1390003, "instance code not found");
    }
    if (!instance.initiatorUserId().equals(user) || !instance.status().equals("PENDING")) {
      return Answer.error(1390009, "no permission: only the initiator may cancel a pending instance");
    }
    return done(status(instance, "CANCELED"));
  }

  private Answer cc(JsonNode body) {
    JsonNode users = body.path("cc_user_ids");
    if (text(body, "approval_code").isEmpty() || text(body, "instance_code").isEmpty()
        || text(body, "user_id").isEmpty() || !users.isArray() || users.isEmpty()) {
      return invalid();
    }
    Instance instance = instances.get(text(body, "instance_code"));
    if (instance == null || !instance.approvalCode().equals(text(body, "approval_code"))) {
      return Answer.error(1390003, "instance code not found");
    }
    List<String> cc = new ArrayList<>(instance.ccUserIds());
    users.forEach(user -> cc.add(user.asText()));
    instances.put(instance.code(), new Instance(instance.code(), instance.approvalCode(), instance.uuid(),
        instance.initiatorUserId(), instance.form(), instance.status(), instance.tasks(), List.copyOf(cc)));
    return ok(JSON.createObjectNode());
  }

  /** The instance with {@code task} in the new status, and {@code added} as a further task when given. */
  private static Instance with(Instance instance, Task task, String status, Task added) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : instance.tasks()) {
      tasks.add(t.id().equals(task.id()) ? new Task(t.id(), t.userId(), status, t.nodeId(), t.nodeName()) : t);
    }
    if (added != null) tasks.add(added);
    return new Instance(instance.code(), instance.approvalCode(), instance.uuid(), instance.initiatorUserId(),
        instance.form(), instance.status(), List.copyOf(tasks), instance.ccUserIds());
  }

  private static Instance status(Instance instance, String status) {
    return new Instance(instance.code(), instance.approvalCode(), instance.uuid(), instance.initiatorUserId(),
        instance.form(), status, instance.tasks(), instance.ccUserIds());
  }

  private Answer done(Instance changed) {
    instances.put(changed.code(), changed);
    return ok(JSON.createObjectNode());
  }

  /** The user_id of a user given as {@code idType}, or empty when the id is not of that type. */
  private static String userOf(String id, String idType) {
    if (id.isEmpty()) return "";
    return switch (idType) {
      case "open_id" -> id.startsWith("ou_") ? id.substring(3) : "";
      case "union_id" -> id.startsWith("on_") ? id.substring(3) : "";
      default -> id.startsWith("ou_") || id.startsWith("on_") ? "" : id;
    };
  }

  /** Feishu's form: a string holding a JSON array of widgets. */
  private static boolean isFormText(JsonNode form) {
    if (!form.isTextual()) return false;
    try {
      return JSON.readTree(form.textValue()).isArray();
    } catch (IOException notJson) {
      return false;
    }
  }

  private String nextId() {
    return Long.toString(ids.incrementAndGet());
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.path(field);
    return value.isTextual() ? value.textValue().trim() : "";
  }

  private static Answer invalid() {
    return Answer.error(1390001, "param is invalid");
  }

  private static Answer ok(ObjectNode data) {
    return new Answer(0, "success", data);
  }
}
