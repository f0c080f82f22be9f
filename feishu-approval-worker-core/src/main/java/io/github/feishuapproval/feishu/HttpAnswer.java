package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.Optional;

/** The parts of an HTTP answer that decide an outcome. */
record HttpAnswer(int status, String body, String logId, Optional<Long> rateLimitResetSeconds, Duration elapsed) {

  HttpAnswer(int status, String body, String logId, Optional<Long> rateLimitResetSeconds) {
    this(status, body, logId, rateLimitResetSeconds, Duration.ZERO);
  }

  HttpAnswer withElapsed(Duration took) {
    return new HttpAnswer(status, body, logId, rateLimitResetSeconds, took);
  }
}
