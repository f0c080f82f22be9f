package io.github.feishuapproval.testkit;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.worker.FeishuWorkers;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The real Feishu job workers of feishu-approval-worker, on the {@code CamundaClient} of your process test, against a
 * {@link FeishuSimulator}, without any Spring context: every job type of the element templates is served, as the
 * default app and as the simulator's second app under the name {@code second}.
 *
 * <pre>{@code
 * try (FeishuSimulator feishu = new FeishuSimulator().start();
 *      FeishuTestWorkers workers = FeishuTestWorkers.start(client, feishu)) {
 *   feishu.script("1785996265147395", Fault.code(2320001));
 *   ... start your process, let its timer fire ...
 * }
 * }</pre>
 */
public final class FeishuTestWorkers implements AutoCloseable {

  private final FeishuWorkers workers;

  private FeishuTestWorkers(FeishuWorkers workers) {
    this.workers = workers;
  }

  /**
   * Opens the workers on {@code camunda}, calling {@code feishu}, with the same defaults as the Spring Boot starter;
   * Feishu's own quota is not applied on the worker's side (script a 429 with {@link Fault#rateLimited} to see how a
   * rate limit is handled).
   */
  public static FeishuTestWorkers start(CamundaClient camunda, FeishuSimulator feishu) {
    FeishuWorkers workers = FeishuWorkers.builder(camunda)
        .app(FeishuApps.DEFAULT, settings(feishu, FeishuSimulator.APP_ID, FeishuSimulator.APP_SECRET))
        .app("second", settings(feishu, FeishuSimulator.SECOND_APP_ID, FeishuSimulator.SECOND_APP_SECRET))
        // the engine's one tenant may act as either app
        .appsForTenant("<default>", List.of(FeishuApps.DEFAULT, "second"))
        .build();
    workers.start();
    return new FeishuTestWorkers(workers);
  }

  /** Jobs the workers took and have not answered yet. */
  public int jobsInFlight() {
    return workers.jobsInFlight();
  }

  /**
   * A client for an engine that speaks gRPC at {@code gatewayAddress}, such as Zeebe Process Test's
   * ({@code engine.getGatewayAddress()}); Camunda Process Test injects a client of its own.
   */
  public static CamundaClient grpcClient(String gatewayAddress) {
    String address = gatewayAddress.contains("://") ? gatewayAddress : "http://" + gatewayAddress;
    return CamundaClient.newClientBuilder().grpcAddress(URI.create(address)).preferRestOverGrpc(false).build();
  }

  private static FeishuSettings settings(FeishuSimulator feishu, String appId, String secret) {
    // short timeouts for a local simulator, and no client-side quota
    return new FeishuSettings(feishu.baseUrl(), appId, secret, Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(5), FeishuWorkers.DEFAULT_MAX_IN_FLIGHT, Duration.ofSeconds(10), 0, Duration.ofMinutes(1),
        Duration.ZERO, FeishuWorkers.DEFAULT_STORE_RETRY_WAIT);
  }

  /** Stops taking jobs and answers the ones in flight. */
  @Override
  public void close() {
    workers.close();
  }
}
