package io.github.feishuapproval.feishu;

/** What one event push comes to. Every push ends in exactly one of these; none is thrown. */
public sealed interface EventVerdict {

  /** url_verification: answer HTTP 200 with {@code {"challenge": challenge}} (within Feishu's 1 s). */
  record Challenge(String challenge) implements EventVerdict {}

  /**
   * An app_ticket event for this app: store the ticket, answer 200. {@code eventId} is empty when the push carried
   * none. {@link #toString()} does not show the ticket.
   */
  record AppTicket(String appId, String ticket, String eventId) implements EventVerdict {
    @Override
    public String toString() {
      return "AppTicket[appId=" + appId + ", ticket=<redacted>, eventId=" + eventId + "]";
    }
  }

  /**
   * An Approval (审批 v4) {@code approval_instance} or {@code approval_task} event for this app, from a v1 push. Not
   * remembered here: its {@code eventId} (the envelope's outer uuid) is remembered only once Camunda took the message,
   * so that a push answered non-200 is pushed again and then published. {@code uuid} is the creation uuid, empty when
   * the instance was created without one; the task fields are empty for an instance event. Every field is a string,
   * empty when the push left it out.
   */
  record ApprovalEvent(String eventId, String eventType, String appId, String tenantKey, String approvalCode,
      String instanceCode, String status, String uuid, String operateTime, String taskId, String userId,
      String openId) implements EventVerdict {

    public static final String INSTANCE = "approval_instance";
    public static final String TASK = "approval_task";
  }

  /**
   * An event already seen (Feishu pushes again after 15 s, 5 min, 1 h, 6 h when it got no 200 in 3 s): answer 200,
   * change nothing.
   */
  record Duplicate(String eventId) implements EventVerdict {}

  /**
   * A genuine event of a type this worker does not handle: answer 200, change nothing. {@code eventId} is empty when
   * the push carried none.
   */
  record Ignored(String eventType, String eventId) implements EventVerdict {}

  /**
   * Not accepted: answer this 4xx status. {@code reason} is one sentence for the log: it never contains a secret, a
   * ticket or the body. The answer to the push carries the status only, so that it tells a sender no more than that.
   */
  record Refused(int status, String reason) implements EventVerdict {}

  /**
   * Not decided: the memory of pushes seen (the shared store) could not be reached, so a replay could not be told
   * from a first push. Answer 503, change nothing; Feishu pushes again. {@code reason} is for the log.
   */
  record Unavailable(String reason) implements EventVerdict {}
}
