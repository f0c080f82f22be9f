package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The task headers the worker honours, each checked against real bounds before anything computes with it.
 *
 * @param resultVariable where to put {@code {code, msg, logId}} on success, if anywhere
 * @param retryBackoff the first retry's delay, already capped at the worker's longest backoff; each retry doubles it
 * @param feishuApp the configured Feishu app to act as; the default app when absent
 * @param alreadyStartedCodes Feishu error codes that mean a flow's idempotency key was used before (execute only)
 */
public record JobHeaders(Optional<String> resultVariable, Duration retryBackoff, Optional<String> feishuApp,
    java.util.Set<Integer> alreadyStartedCodes) {

  static final String RESULT_VARIABLE = "resultVariable";
  static final String RETRY_BACKOFF = "retryBackoff";
  static final String FEISHU_APP = "feishuApp";
  static final String ALREADY_STARTED_CODES = "alreadyStartedCodes";
  private static final Pattern CODES = Pattern.compile("\\s*[0-9]{1,9}\\s*(,\\s*[0-9]{1,9}\\s*)*");

  /** Above this a backoff is a typo rather than a wish: the memory of a job is kept no longer. */
  static final Duration LONGEST_BACKOFF_ACCEPTED = Duration.ofDays(1);
  /** Longer than any header a modeller writes by hand; the value is never parsed or echoed beyond it. */
  static final int LONGEST_HEADER = 256;
  /** A name FEEL can read back: a letter or '_' first, then letters, digits and '_'. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");

  /**
   * Reads the headers, adding a problem for each one that cannot be used.
   *
   * @param maxBackoff the worker's longest retry backoff (feishu.worker.max-retry-backoff): a longer header is capped
   */
  public static JobHeaders read(Map<String, String> headers, Duration defaultBackoff, Duration maxBackoff,
      List<String> problems) {
    Optional<String> resultVariable = Optional.ofNullable(headers.get(RESULT_VARIABLE))
        .map(String::trim)
        .filter(name -> !name.isEmpty());
    resultVariable.ifPresent(name -> {
      if (name.length() > LONGEST_HEADER || !VARIABLE_NAME.matcher(name).matches()) {
        problems.add("task header resultVariable must be a variable name of at most " + LONGEST_HEADER
            + " letters, digits and '_', starting with a letter or '_'");
      }
    });
    Duration backoff = cap(defaultBackoff, maxBackoff);
    String rawBackoff = headers.get(RETRY_BACKOFF);
    if (rawBackoff != null && !rawBackoff.isBlank()) {
      backoff = backoff(rawBackoff.trim(), maxBackoff, problems).orElse(backoff);
    }
    Optional<String> app = Optional.ofNullable(headers.get(FEISHU_APP)).map(String::trim).filter(a -> !a.isEmpty());
    if (app.isPresent() && app.get().length() > LONGEST_HEADER) {
      problems.add("task header feishuApp is " + app.get().length() + " characters long; an app name has at most "
          + LONGEST_HEADER);
      app = Optional.empty();
    }
    return new JobHeaders(resultVariable, backoff, app, codes(headers.get(ALREADY_STARTED_CODES), problems));
  }

  private static java.util.Set<Integer> codes(String raw, List<String> problems) {
    if (raw == null || raw.isBlank()) return java.util.Set.of();
    if (raw.length() > LONGEST_HEADER || !CODES.matcher(raw).matches()) {
      problems.add("task header alreadyStartedCodes must be Feishu error codes separated by commas, such as "
          + "2320010,2320011");
      return java.util.Set.of();
    }
    return java.util.Arrays.stream(raw.split(",")).map(String::trim).map(Integer::valueOf)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  private static Optional<Duration> backoff(String raw, Duration maxBackoff, List<String> problems) {
    Duration parsed;
    try {
      if (raw.length() > LONGEST_HEADER) throw new IllegalArgumentException("too long");
      parsed = Duration.parse(raw);
    } catch (RuntimeException e) {
      problems.add("task header retryBackoff must be an ISO-8601 duration such as PT10S");
      return Optional.empty();
    }
    if (parsed.isNegative()) {
      problems.add("task header retryBackoff may not be negative");
      return Optional.empty();
    }
    Duration bound = maxBackoff.compareTo(LONGEST_BACKOFF_ACCEPTED) > 0 ? maxBackoff : LONGEST_BACKOFF_ACCEPTED;
    if (parsed.compareTo(bound) > 0) {
      problems.add("task header retryBackoff may be at most " + bound + "; the wait never exceeds the worker's "
          + "longest backoff (feishu.worker.max-retry-backoff, " + maxBackoff + ")");
      return Optional.empty();
    }
    return Optional.of(cap(parsed, maxBackoff));
  }

  /** The delay before retry number {@code failures} (1 for the first): the base doubled each time, capped. */
  Duration backoffAfter(int failures, Duration cap) {
    Duration delay = cap(retryBackoff, cap);
    // doubling stops at the cap, so that no count of failures can overflow
    for (int i = 1; i < failures && !delay.isZero() && delay.compareTo(cap) < 0; i++) {
      delay = delay.compareTo(cap.dividedBy(2)) > 0 ? cap : delay.multipliedBy(2);
    }
    return delay;
  }

  private static Duration cap(Duration delay, Duration cap) {
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
