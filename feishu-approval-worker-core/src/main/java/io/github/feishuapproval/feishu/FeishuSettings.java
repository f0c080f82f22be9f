package io.github.feishuapproval.feishu;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Feishu app. The secret stays inside: {@link #toString()} never shows it.
 *
 * @param defaultRateLimitWait how long to wait after a 429 that names no reset time
 * @param quotaCalls calls allowed per {@code quotaWindow} for each API of this app; 0 turns the client-side quota off
 * @param maxQuotaWait the longest a call may wait for a quota slot; a longer wait hands the job back instead
 * @param storeRetryWait how long a job waits before it comes back when the shared quota could not be consulted
 * @param storeApp whether this is a store (ISV) app, acting for the customer tenant each call names
 * @param ticketWait how long a store app's calls wait for Feishu's first app_ticket before they are refused
 */
public record FeishuSettings(
    URI baseUrl,
    String appId,
    String appSecret,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxConcurrentRequests,
    Duration defaultRateLimitWait,
    int quotaCalls,
    Duration quotaWindow,
    Duration maxQuotaWait,
    Duration storeRetryWait,
    boolean storeApp,
    Duration ticketWait) {

  public FeishuSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appSecret, "appSecret");
    BaseUrls.requireSafe(baseUrl);
    if (quotaCalls < 0) throw new IllegalArgumentException("quotaCalls may not be negative");
  }

  /** A self-built app's settings. */
  public FeishuSettings(URI baseUrl, String appId, String appSecret, Duration connectTimeout, Duration readTimeout,
      Duration callTimeout, int maxConcurrentRequests, Duration defaultRateLimitWait, int quotaCalls,
      Duration quotaWindow, Duration maxQuotaWait, Duration storeRetryWait) {
    this(baseUrl, appId, appSecret, connectTimeout, readTimeout, callTimeout, maxConcurrentRequests,
        defaultRateLimitWait, quotaCalls, quotaWindow, maxQuotaWait, storeRetryWait, false, Duration.ZERO);
  }

  @Override
  public String toString() {
    return "FeishuSettings[baseUrl=" + baseUrl + ", appId=" + appId + ", appSecret=<redacted>, connectTimeout="
        + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout + ", storeApp=" + storeApp
        + "]";
  }
}
