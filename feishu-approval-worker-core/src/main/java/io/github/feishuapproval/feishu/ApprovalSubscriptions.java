package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes apps to the events of Approval (审批 v4) definitions ({@code POST
 * /open-apis/approval/v4/approvals/{approval_code}/subscribe}), once each, in the background: a subscription Feishu
 * already has (1390007) counts as done; any other failure is logged and tried again after {@code retryWait}, doubling
 * up to {@code maxRetryWait}, so that a start never waits for Feishu.
 */
public final class ApprovalSubscriptions implements AutoCloseable {

  public static final int SUBSCRIPTION_EXISTED = 1390007;
  private static final Logger log = LoggerFactory.getLogger(ApprovalSubscriptions.class);

  private final Map<String, FeishuClient> clients;
  private final Map<String, List<String>> approvalCodes;
  private final Duration retryWait;
  private final Duration maxRetryWait;
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "feishu-approval-subscriptions");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param clients the apps by name
   * @param approvalCodes the definitions each app (by name) subscribes to
   */
  public ApprovalSubscriptions(Map<String, FeishuClient> clients, Map<String, List<String>> approvalCodes,
      Duration retryWait, Duration maxRetryWait) {
    this.clients = Map.copyOf(clients);
    this.approvalCodes = Map.copyOf(approvalCodes);
    this.retryWait = Objects.requireNonNull(retryWait, "retryWait");
    this.maxRetryWait = Objects.requireNonNull(maxRetryWait, "maxRetryWait");
  }

  /** Starts subscribing and returns at once. */
  public void start() {
    approvalCodes.forEach((app, codes) -> codes.forEach(code -> scheduler.execute(() -> subscribe(app, code,
        retryWait))));
  }

  /** Whether Feishu confirmed the app's subscription to the definition, now or before. */
  public boolean subscribed(String app, String approvalCode) {
    return done.contains(app + '\n' + approvalCode);
  }

  private void subscribe(String app, String code, Duration wait) {
    FeishuClient client = clients.get(app);
    if (client == null) return;
    FeishuOutcome outcome;
    try {
      outcome = client.call(new ApiRequest(FeishuOperation.V4_SUBSCRIBE, Map.of("approval_code", code), Map.of()))
          .join();
    } catch (RuntimeException failed) {
      outcome = new FeishuOutcome.Transient(failed.getClass().getSimpleName(), "");
    }
    if (outcome instanceof FeishuOutcome.Success
        || outcome instanceof FeishuOutcome.BusinessError error && error.code() == SUBSCRIPTION_EXISTED) {
      done.add(app + '\n' + code);
      log.info("App {} is subscribed to the events of approval definition {}", app, code);
      return;
    }
    log.warn("Could not subscribe app {} to the events of approval definition {} ({}); trying again in {} s", app,
        code, describe(outcome), wait.toSeconds());
    Duration next = wait.multipliedBy(2).compareTo(maxRetryWait) > 0 ? maxRetryWait : wait.multipliedBy(2);
    scheduler.schedule(() -> subscribe(app, code, next), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String describe(FeishuOutcome outcome) {
    return switch (outcome) {
      case FeishuOutcome.BusinessError e -> "Feishu code " + e.code() + ", log id " + e.logId();
      case FeishuOutcome.ConfigurationError e -> "Feishu code " + e.code() + ": " + e.remedy();
      case FeishuOutcome.Transient t -> t.reason();
      case FeishuOutcome.RateLimited r -> "rate limited";
      case FeishuOutcome.NotSent n -> n.reason();
      case FeishuOutcome.Success s -> "subscribed";
    };
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
