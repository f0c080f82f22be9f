package io.github.feishuapproval.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.feishuapproval.feishu.EventVerdict.ApprovalEvent;
import io.github.feishuapproval.feishu.FlowCallback;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a verified Approval (审批 v4) event into one Camunda message, published once through
 * {@link FlowCallbackMessages}: {@value #INSTANCE_MESSAGE} for an approval_instance event, {@value #TASK_MESSAGE} for
 * an approval_task event. The correlation key is the instance's creation uuid when the event carries one (the create
 * job's {@code approvalInstance.uuid}), else its instance code; the message id is the push's event id, so that
 * Feishu's repeats come to one message.
 */
public final class ApprovalEventMessages {

  public static final String INSTANCE_MESSAGE = "feishu-approval-instance";
  public static final String TASK_MESSAGE = "feishu-approval-task";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FlowCallbackMessages messages;
  private final Set<String> storeApps;

  /** @param messages publishing with a timeout well inside Feishu's 3 s answer rule */
  public ApprovalEventMessages(FlowCallbackMessages messages) {
    this(messages, Set.of());
  }

  /**
   * @param storeApps the names of the configured store apps: only their messages carry {@code tenantKey}, the
   *     customer tenant the process's next jobs act for; a self-built app's jobs refuse one
   */
  public ApprovalEventMessages(FlowCallbackMessages messages, Set<String> storeApps) {
    this.messages = Objects.requireNonNull(messages, "messages");
    this.storeApps = Set.copyOf(storeApps);
  }

  /**
   * @param app the configured app the event was pushed for
   * @param tenantId the Camunda tenant the message goes to, or null for the client's default tenant
   */
  public CallbackDelivery deliver(String app, String tenantId, ApprovalEvent event) {
    return messages.deliver(app, message(event, tenantId, storeApps.contains(app)));
  }

  /** The message an event becomes, as {@link FlowCallbackMessages} publishes it. */
  static FlowCallback message(ApprovalEvent event, String tenantId, boolean storeApp) {
    boolean task = ApprovalEvent.TASK.equals(event.eventType());
    ObjectNode variables = JSON.createObjectNode()
        .put("eventType", event.eventType())
        .put("status", event.status())
        .put("instanceCode", event.instanceCode())
        .put("approvalCode", event.approvalCode())
        .put("uuid", event.uuid())
        .put("operateTime", event.operateTime());
    if (storeApp) variables.put("tenantKey", event.tenantKey());
    if (task) variables.put("taskId", event.taskId()).put("userId", event.userId()).put("openId", event.openId());
    return new FlowCallback(task ? TASK_MESSAGE : INSTANCE_MESSAGE, correlationKey(event), event.eventId(),
        write(variables), tenantId);
  }

  /** What a process waits with: the creation uuid it chose, else the instance code Feishu gave. */
  public static String correlationKey(ApprovalEvent event) {
    return event.uuid().isEmpty() ? event.instanceCode() : event.uuid();
  }

  private static String write(ObjectNode variables) {
    try {
      return JSON.writeValueAsString(variables);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings could not be written", e);
    }
  }
}
