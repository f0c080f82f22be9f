package io.github.feishuapproval.worker;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task headers the worker honours.
 *
 * @param resultVariable where to put {@code {code, msg, logId}} on success, if anywhere
 * @param retryBackoff the first retry's delay; each further retry doubles it
 * @param feishuApp the configured Feishu app to act as; the default app when absent
 */
record JobHeaders(Optional<String> resultVariable, Duration retryBackoff, Optional<String> feishuApp) {

  static final String RESULT_VARIABLE = "resultVariable";
  static final String RETRY_BACKOFF = "retryBackoff";
  static final String FEISHU_APP = "feishuApp";

  /** Reads the headers, adding a problem for each one that cannot be used. */
  static JobHeaders read(Map<String, String> headers, Duration defaultBackoff, List<String> problems) {
    Optional<String> resultVariable = Optional.ofNullable(headers.get(RESULT_VARIABLE))
        .map(String::trim)
        .filter(name -> !name.isEmpty());
    Duration backoff = defaultBackoff;
    String rawBackoff = headers.get(RETRY_BACKOFF);
    if (rawBackoff != null && !rawBackoff.isBlank()) {
      try {
        backoff = Duration.parse(rawBackoff.trim());
        if (backoff.isNegative()) problems.add("task header retryBackoff may not be negative");
      } catch (DateTimeParseException e) {
        problems.add("task header retryBackoff must be an ISO-8601 duration such as PT10S");
      }
    }
    Optional<String> app = Optional.ofNullable(headers.get(FEISHU_APP)).map(String::trim).filter(a -> !a.isEmpty());
    return new JobHeaders(resultVariable, backoff, app);
  }

  /** The delay before retry number {@code failures} (1 for the first): the base doubled each time, capped. */
  Duration backoffAfter(int failures, Duration cap) {
    int doublings = Math.min(Math.max(failures - 1, 0), 30);
    Duration delay = retryBackoff.multipliedBy(1L << doublings);
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
