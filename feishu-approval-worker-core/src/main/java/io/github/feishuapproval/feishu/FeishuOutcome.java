package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** What one Feishu call came to. Every call ends in exactly one of these; none is thrown. */
public sealed interface FeishuOutcome {

  /** Feishu's request id ({@code X-Tt-Logid}), or an empty string when the answer carried none. */
  String logId();

  /** Feishu answered {@code code} 0; {@code data} is the envelope's data object (empty when there was none). */
  record Success(int code, String msg, String logId, JsonNode data) implements FeishuOutcome {}

  /** Feishu refused the request for a reason that belongs to the process (a wrong task, a user who may not act). */
  record BusinessError(int code, String msg, String logId) implements FeishuOutcome {}

  /** Worth trying again later: the network, a timeout, a 5xx, a garbled answer, an internal Feishu error. */
  record Transient(String reason, String logId) implements FeishuOutcome {}

  /** Feishu (or our own limiter) asks us to wait before the next call. */
  record RateLimited(Duration retryAfter, String reason, String logId) implements FeishuOutcome {}

  /**
   * The call was not made, because something it needs first (the shared quota, a store app's ticket) is not at hand
   * yet; the job is to come back after {@code retryAfter} without spending a retry.
   */
  record NotSent(Duration retryAfter, String reason) implements FeishuOutcome {
    @Override
    public String logId() {
      return "";
    }
  }

  /** Nothing will change until an operator fixes the app, its scopes, the credentials or the quota. */
  record ConfigurationError(int code, String msg, String logId, String remedy) implements FeishuOutcome {}
}
