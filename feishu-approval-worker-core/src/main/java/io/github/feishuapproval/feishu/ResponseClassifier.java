package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;

/** Turns an HTTP answer into an outcome, deciding on the body's {@code code} first and the HTTP status second. */
final class ResponseClassifier {

  /** The outcome, plus whether the call should be repeated once with a fresh token. */
  record Verdict(FeishuOutcome outcome, boolean tokenRejected) {}

  private static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofMinutes(10);
  private static final java.util.regex.Pattern LOG_ID = java.util.regex.Pattern.compile("[0-9A-Za-z_-]{1,128}");
  private static final String TOKEN_REMEDY = "Feishu rejected a freshly fetched tenant token as well: check that "
      + "FEISHU_APP_ID and FEISHU_APP_SECRET (or feishu.apps.<name>.app-id and app-secret) belong to an enabled app, "
      + "and for a store app that the customer tenant still has it installed";

  private final ObjectMapper json;
  private final Duration defaultRateLimitWait;

  ResponseClassifier(ObjectMapper json, Duration defaultRateLimitWait) {
    this.json = json;
    this.defaultRateLimitWait = defaultRateLimitWait;
  }

  Verdict classifyApiAnswer(HttpAnswer answer) {
    JsonNode body = parse(answer.body());
    String logId = logId(answer, body);
    if (!body.path("code").isIntegralNumber()) {
      return new Verdict(withoutCode(answer, logId), false);
    }
    int code = body.path("code").asInt();
    String msg = body.path("msg").asText("");
    return switch (FeishuCodes.classify(code)) {
      case SUCCESS -> new Verdict(new FeishuOutcome.Success(code, msg, logId,
          body.path("data").isObject() ? body.path("data") : json.createObjectNode()), false);
      case TRANSIENT -> new Verdict(new FeishuOutcome.Transient(describe(code, msg), logId), false);
      case RATE_LIMITED -> new Verdict(rateLimited(answer, describe(code, msg), logId), false);
      case TOKEN_REJECTED -> new Verdict(new FeishuOutcome.ConfigurationError(code, msg, logId, TOKEN_REMEDY), true);
      case CONFIGURATION -> new Verdict(
          new FeishuOutcome.ConfigurationError(code, msg, logId, FeishuCodes.remedy(code, msg)), false);
      case BUSINESS -> new Verdict(business(answer, code, msg, logId), false);
    };
  }

  /** The token endpoint knows no business errors: a code it does not explain means the app set-up is wrong. */
  FeishuOutcome classifyTokenAnswer(HttpAnswer answer) {
    FeishuOutcome outcome = classifyApiAnswer(answer).outcome();
    if (outcome instanceof FeishuOutcome.BusinessError e) {
      return new FeishuOutcome.ConfigurationError(e.code(), e.msg(), e.logId(),
          "the tenant token could not be obtained: check FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_BASE_URL");
    }
    return outcome;
  }

  JsonNode parse(String body) {
    if (body == null || body.isBlank()) return MissingNode.getInstance();
    try {
      JsonNode node = json.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (Exception notJson) {
      return MissingNode.getInstance();
    }
  }

  private FeishuOutcome business(HttpAnswer answer, int code, String msg, String logId) {
    if (answer.status() == 429) return rateLimited(answer, describe(code, msg), logId);
    if (answer.status() >= 500) return new FeishuOutcome.Transient("HTTP " + answer.status() + ", " + describe(code, msg), logId);
    return new FeishuOutcome.BusinessError(code, msg, logId);
  }

  private FeishuOutcome withoutCode(HttpAnswer answer, String logId) {
    String what = answer.body() == null || answer.body().isBlank() ? "an empty body" : "a body that is not Feishu JSON";
    if (answer.status() == 429) return rateLimited(answer, "HTTP 429 with " + what, logId);
    return new FeishuOutcome.Transient("HTTP " + answer.status() + " with " + what, logId);
  }

  private FeishuOutcome rateLimited(HttpAnswer answer, String reason, String logId) {
    Duration wait = answer.rateLimitResetSeconds()
        .map(seconds -> Duration.ofSeconds(Math.max(1, seconds)))
        .orElse(defaultRateLimitWait);
    if (wait.compareTo(LONGEST_RATE_LIMIT_WAIT) > 0) wait = LONGEST_RATE_LIMIT_WAIT;
    return new FeishuOutcome.RateLimited(wait, reason, logId);
  }

  private static String describe(int code, String msg) {
    return "Feishu code " + code + (msg.isEmpty() ? "" : " (" + msg + ")");
  }

  /** Feishu's log id, kept only when it looks like one: it goes into log lines and messages. */
  private static String logId(HttpAnswer answer, JsonNode body) {
    String id = answer.logId().isEmpty() ? body.path("error").path("log_id").asText("") : answer.logId();
    return LOG_ID.matcher(id).matches() ? id : "";
  }
}
