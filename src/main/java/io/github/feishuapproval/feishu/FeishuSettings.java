package io.github.feishuapproval.feishu;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Feishu app. The secret stays inside: {@link #toString()} never shows it.
 *
 * @param defaultRateLimitWait how long to wait after a 429 that names no reset time
 */
public record FeishuSettings(
    URI baseUrl,
    String appId,
    String appSecret,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxConcurrentRequests,
    Duration defaultRateLimitWait) {

  public FeishuSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appSecret, "appSecret");
    BaseUrls.requireSafe(baseUrl);
  }

  /** The longest one job can spend on Feishu: a token fetch and a call, both repeated once after a rejected token. */
  public Duration worstCaseJobDuration() {
    return callTimeout.multipliedBy(4);
  }

  @Override
  public String toString() {
    return "FeishuSettings[baseUrl=" + baseUrl + ", appId=" + appId + ", appSecret=<redacted>, connectTimeout="
        + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout + "]";
  }
}
