package io.github.feishuapproval.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the worker is told from outside. Environment variables map by Spring's relaxed binding:
 * {@code FEISHU_APP_ID} is {@code feishu.app-id}. Keys under {@code feishu.*} that are not ours are left to the
 * application, which may have Feishu settings of its own; within our groups ({@code feishu.http.*},
 * {@code feishu.worker.*}, {@code feishu.apps.<name>.*} ...) an unknown key stops the start, naming the key and never
 * its value ({@link FeishuKeys}).
 *
 * @param enabled whether the Feishu job workers start at all
 * @param failFast whether a missing {@code feishu.app-id} stops the start; otherwise the workers just stay off
 * @param appId the default app's id ({@code cli_...})
 * @param appSecret the app's secret; never logged
 * @param appType {@code self-built} (企业自建应用) or {@code store} (应用商店应用)
 * @param verificationToken a store app's event subscription Verification Token; never logged
 * @param encryptKey a store app's event subscription Encrypt Key; never logged
 * @param ticketWait how long a store app's jobs wait for Feishu's first app_ticket before they raise an incident
 * @param baseUrl {@code https://open.feishu.cn} (Feishu) or {@code https://open.larksuite.com} (Lark)
 * @param apps further Feishu apps by name, chosen per service task with the task header {@code feishuApp}
 * @param camundaTenants Camunda tenants whose jobs act as the default app without a {@code feishuApp} header
 * @param unmappedTenants what a job without the header gets when no app lists its Camunda tenant
 * @param callbackSecret the secret aPaaS flows show when they call back for the default app; never logged
 * @param callbackSignature whether the default app's callbacks may show the secret itself or must be signed
 * @param callbacks how flow callbacks become Camunda messages
 * @param approvalCodes Approval (审批 v4) definitions whose events the default app subscribes to at start
 * @param eventsDelivery how Feishu delivers the default app's events: {@code webhook} (pushed to the event endpoint)
 *     or {@code long-connection} (长连接, self-built apps only)
 */
@Validated
@ConfigurationProperties(prefix = "feishu")
public record FeishuProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("false") boolean failFast,
    String appId,
    String appSecret,
    @NotNull @DefaultValue("self-built") AppType appType,
    String verificationToken,
    String encryptKey,
    @NotNull @DefaultValue("10m") Duration ticketWait,
    @DefaultValue Map<String, App> apps,
    @DefaultValue List<String> camundaTenants,
    @NotNull @DefaultValue("default-app") UnmappedTenants unmappedTenants,
    @NotNull @DefaultValue("https://open.feishu.cn") URI baseUrl,
    @Valid @NotNull @DefaultValue Http http,
    @Valid @NotNull @DefaultValue Worker worker,
    @Valid @NotNull @DefaultValue RateLimit rateLimit,
    @Valid @NotNull @DefaultValue Store store,
    String callbackSecret,
    @NotNull @DefaultValue("accepted") CallbackSignature callbackSignature,
    @Valid @NotNull @DefaultValue Callbacks callbacks,
    @DefaultValue List<String> approvalCodes,
    @NotNull @DefaultValue("webhook") EventsDelivery eventsDelivery) {

  /** How Feishu delivers an app's events, as chosen under events and callbacks (事件与回调) in its developer console. */
  public enum EventsDelivery {
    /** Pushed to {@code /feishu/events/<app name>} on {@code server.port}. */
    WEBHOOK,
    /** Over a long connection (长连接) each replica opens to Feishu; self-built apps only. */
    LONG_CONNECTION
  }

  /** What a job gets whose Camunda tenant no app lists, when its task names no app either. */
  public enum UnmappedTenants {
    /** It acts as the default app. */
    DEFAULT_APP,
    /** It is refused as an incident naming the tenant, and Feishu is not called. */
    INCIDENT
  }

  /** What kind of Feishu app: one that acts for its own tenant, or one that customer tenants install. */
  public enum AppType { SELF_BUILT, STORE }

  /**
   * A further app the worker can act as; it shares the base URL, timeouts and quota settings.
   *
   * @param appId the app's id ({@code cli_...})
   * @param appSecret the app's secret; never logged
   * @param type {@code self-built} or {@code store}
   * @param verificationToken a store app's Verification Token, or a self-built app's whose events are pushed to the
   *     event endpoint; never logged
   * @param encryptKey the event subscription's Encrypt Key; never logged
   * @param camundaTenants Camunda tenants whose jobs act as this app without a {@code feishuApp} header
   * @param callbackSecret the secret aPaaS flows show when they call back for this app; none: no callback endpoint
   *     for it. Never logged
   * @param callbackSignature {@code accepted}: the secret in a header or a signature; {@code required}: signed only
   * @param approvalCodes Approval (审批 v4) definitions whose events this app subscribes to at start
   * @param eventsDelivery {@code webhook} or {@code long-connection} (长连接, self-built apps only)
   */
  public record App(String appId, String appSecret, @DefaultValue("self-built") AppType type,
      String verificationToken, String encryptKey, @DefaultValue List<String> camundaTenants,
      String callbackSecret, @DefaultValue("accepted") CallbackSignature callbackSignature,
      @DefaultValue List<String> approvalCodes, @DefaultValue("webhook") EventsDelivery eventsDelivery) {

    @Override
    public String toString() {
      return "App[appId=" + appId + ", appSecret=<redacted>, type=" + type + ", verificationToken=<redacted>, "
          + "encryptKey=<redacted>, camundaTenants=" + camundaTenants + ", callbackSecret=<redacted>, "
          + "callbackSignature=" + callbackSignature + ", approvalCodes=" + approvalCodes + ", eventsDelivery="
          + eventsDelivery + "]";
    }
  }

  /** How a flow's callback proves itself: the secret or a signature, or a signature only. */
  public enum CallbackSignature { ACCEPTED, REQUIRED }

  /** The default app as a named one, so that every app is read the same way. */
  public App defaultApp() {
    return new App(appId, appSecret, appType, verificationToken, encryptKey, camundaTenants, callbackSecret,
        callbackSignature, approvalCodes, eventsDelivery);
  }

  /**
   * How aPaaS flows' callbacks ({@code POST /feishu/callbacks/<app name>}) become Camunda messages.
   *
   * @param messageTimeToLive how long Camunda keeps a decision that came before its process waits for it
   * @param messageIdMemory how long a published message id is remembered, to answer the flow's retries without
   *     publishing again
   * @param signatureMaxAge how far a signed callback's X-Callback-Timestamp may be from this worker's clock
   * @param publishTimeout how long one publish to Camunda may take before the callback is answered 503
   */
  public record Callbacks(
      @NotNull @DefaultValue("1h") Duration messageTimeToLive,
      @NotNull @DefaultValue("24h") Duration messageIdMemory,
      @NotNull @DefaultValue("5m") Duration signatureMaxAge,
      @NotNull @DefaultValue("10s") Duration publishTimeout) {}

  /**
   * Where the quota, the memory of done jobs and store apps' tickets live: in this process, or in Redis, shared by
   * every replica. Redis is reached as {@code spring.data.redis.*} says (url, host, port, password, ssl).
   *
   * @param type {@code memory} or {@code redis}
   * @param keyPrefix the start of every key, so that two worker deployments can share one Redis
   * @param timeout how long any one call to the store may take; well inside the job timeout
   * @param retryWait how long a job waits before it comes back when the store could not be reached
   */
  public record Store(
      @NotNull @DefaultValue("memory") StoreType type,
      @NotBlank @DefaultValue("feishu-approval-worker") String keyPrefix,
      @NotNull @DefaultValue("2s") Duration timeout,
      @NotNull @DefaultValue("5s") Duration retryWait) {}

  public enum StoreType { MEMORY, REDIS }

  /**
   * Feishu allows each approval-task API 100 calls per minute per app and tenant; the worker keeps below that itself.
   *
   * @param calls calls per window for each API; 0 turns the client-side limit off
   * @param window the window the calls are counted in
   */
  public record RateLimit(
      @Min(0) @DefaultValue("100") int calls,
      @NotNull @DefaultValue("1m") Duration window) {}

  /**
   * @param connectTimeout time to open a connection
   * @param readTimeout longest silence while reading an answer
   * @param callTimeout the whole of one HTTP call; four of them must fit in the job timeout
   * @param rateLimitDefaultWait wait after a rate-limit answer that names no reset time
   */
  public record Http(
      @NotNull @DefaultValue("5s") Duration connectTimeout,
      @NotNull @DefaultValue("10s") Duration readTimeout,
      @NotNull @DefaultValue("10s") Duration callTimeout,
      @NotNull @DefaultValue("10s") Duration rateLimitDefaultWait) {}

  /**
   * @param jobTimeout how long a job stays locked to this worker
   * @param maxJobsActive jobs activated per job type and poll
   * @param maxInFlight jobs worked on at once; also the most concurrent HTTP calls
   * @param retryBackoff first retry delay when the task header retryBackoff is absent; doubles per retry
   * @param maxRetryBackoff longest retry delay
   * @param shutdownGrace how long shutdown waits for jobs in flight; at least the job timeout
   */
  public record Worker(
      @NotBlank @DefaultValue("feishu-approval-worker") String name,
      @NotNull @DefaultValue("60s") Duration jobTimeout,
      @Min(1) @DefaultValue("128") int maxJobsActive,
      @Min(1) @DefaultValue("256") int maxInFlight,
      @NotNull @DefaultValue("5s") Duration retryBackoff,
      @NotNull @DefaultValue("5m") Duration maxRetryBackoff,
      @NotNull @DefaultValue("60s") Duration shutdownGrace) {}

  @Override
  public String toString() {
    return "FeishuProperties[enabled=" + enabled + ", failFast=" + failFast + ", appId=" + appId + ", appSecret=<redacted>, appType=" + appType
        + ", verificationToken=<redacted>, encryptKey=<redacted>, ticketWait=" + ticketWait + ", apps=" + apps + ", camundaTenants="
        + camundaTenants + ", unmappedTenants=" + unmappedTenants + ", baseUrl=" + baseUrl + ", http=" + http
        + ", worker=" + worker + ", rateLimit=" + rateLimit + ", store=" + store + ", callbackSecret=<redacted>, "
        + "callbackSignature=" + callbackSignature + ", callbacks=" + callbacks + ", approvalCodes=" + approvalCodes
        + ", eventsDelivery=" + eventsDelivery + "]";
  }
}
