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
