package io.github.feishuapproval.testkit;

import java.time.Duration;

/**
 * One answer the simulator gives instead of its normal one; a task's script is a list of these, one per call, and
 * after them the normal answer: {@code feishu.script("123", Fault.normal(), Fault.rateLimited(1))} makes the second
 * call about task 123 get a 429 with a reset of 1 s.
 */
public sealed interface Fault {

  /** The normal answer, in its place in a script. */
  record Normal() implements Fault {}

  /** Feishu's envelope with a non-zero code. */
  record FeishuCode(int httpStatus, int code, String msg) implements Fault {}

  /** HTTP 429 with code 99991400 and the gateway's rate-limit headers. */
  record RateLimited(long resetSeconds) implements Fault {}

  /** An answer that is not Feishu JSON, such as a gateway's HTML error page. */
  record RawHttp(int httpStatus, String contentType, String body) implements Fault {}

  /** The connection is dropped before any answer. */
  record Disconnect() implements Fault {}

  /** The headers promise a body that is cut off half way. */
  record HalfBody() implements Fault {}

  /** The normal answer, late. */
  record Slow(Duration delay) implements Fault {}

  /** The normal answer, its body sent one byte at a time: the headers come at once, the body seems never to end. */
  record Trickle(Duration perByte) implements Fault {}

  /** An answer without an {@code X-Tt-Logid} header, as a proxy in front of Feishu may send; the body as given. */
  record WithoutLogId(int httpStatus, String body) implements Fault {}

  /** The token presented stops being valid just before this call, as when Feishu rotates it. */
  record ExpireToken() implements Fault {}

  /** Feishu carries the call out, but the connection drops before its answer arrives: the caller cannot tell. */
  record LostAnswer() implements Fault {}

  static Fault lostAnswer() {
    return new LostAnswer();
  }

  static Fault normal() {
    return new Normal();
  }

  /**
   * Feishu's envelope with {@code code}, its HTTP status and message as Feishu's documentation gives them for the aPaaS
   * codes (2320001 to 2320006); any other code is answered HTTP 400 with a generic message.
   */
  static Fault code(int code) {
    return switch (code) {
      case 2320001 -> new FeishuCode(400, code, "param is invalid");
      case 2320002 -> new FeishuCode(500, code, "internal error, please retry later");
      case 2320003 -> new FeishuCode(404, code, "tenant does not exist");
      case 2320004 -> new FeishuCode(404, code, "user does not exist");
      case 2320005 -> new FeishuCode(403, code, "insufficient permissions");
      case 2320006 -> new FeishuCode(400, code, "bad request or invalid parameter");
      default -> new FeishuCode(400, code, "error " + code);
    };
  }

  static Fault code(int httpStatus, int code, String msg) {
    return new FeishuCode(httpStatus, code, msg);
  }

  static Fault paramInvalid() {
    return new FeishuCode(400, 2320001, "param is invalid");
  }

  static Fault internalError() {
    return new FeishuCode(500, 2320002, "internal error, please retry later");
  }

  static Fault badGateway() {
    return new RawHttp(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
  }

  static Fault rateLimited(long resetSeconds) {
    return new RateLimited(resetSeconds);
  }

  static Fault disconnect() {
    return new Disconnect();
  }

  static Fault halfBody() {
    return new HalfBody();
  }

  static Fault slow(Duration delay) {
    return new Slow(delay);
  }

  static Fault expireToken() {
    return new ExpireToken();
  }
}
