package io.github.feishuapproval.feishu;

import java.time.Duration;

/** What the client reports as it works, for metrics. Implementations must be quick and must not throw. */
public interface FeishuEvents {

  FeishuEvents NONE = new FeishuEvents() {};

  /**
   * One HTTP call to an approval API was answered or failed.
   *
   * @param outcome success, business_error, transient, rate_limited, token_rejected or configuration_error
   * @param code Feishu's code, or -1 when there was none
   */
  default void callFinished(String app, String operation, String outcome, int code, Duration elapsed) {}

  default void tokenFetched(String app, boolean issued) {}

  /** A call waited this long for a slot of the app's quota. */
  default void quotaWaited(String app, String operation, Duration delay) {}

  /** A call did not use the slot it waited for: it came {@code late}, or the shared store {@code taken_back}. */
  default void quotaSlotMissed(String app, String operation, String reason) {}

  /** A call was not made because the next quota slot was too far away; its job goes back to the engine. */
  default void quotaRefused(String app, String operation) {}
}
