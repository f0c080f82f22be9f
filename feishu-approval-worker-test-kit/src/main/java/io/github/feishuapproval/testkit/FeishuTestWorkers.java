package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.feishu.LocalQuotaStore;
import io.github.feishuapproval.feishu.LocalTicketStore;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.worker.AppRouting;
import io.github.feishuapproval.worker.FeishuJobHandler;
import io.github.feishuapproval.worker.FeishuJobWorkers;
import io.github.feishuapproval.worker.JobEvents;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.JobSubscription;
import io.github.feishuapproval.worker.RecentJobs;
import io.github.feishuapproval.worker.WorkerSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  private final FeishuApps apps;
  private final FeishuJobWorkers workers;

  private FeishuTestWorkers(FeishuApps apps, FeishuJobWorkers workers) {
    this.apps = apps;
    this.workers = workers;
  }

  /**
   * Opens the workers on {@code camunda}, calling {@code feishu}; Feishu's own quota is not applied on the worker's
   * side (script a 429 with {@link Fault#rateLimited} to see how a rate limit is handled).
   */
  public static FeishuTestWorkers start(CamundaClient camunda, FeishuSimulator feishu) {
    Map<String, FeishuClient> clients = new LinkedHashMap<>();
    QuotaStore quotas = new LocalQuotaStore(1, Duration.ofMinutes(1), Clock.systemUTC());
    LocalTicketStore tickets = new LocalTicketStore(Clock.systemUTC());
    clients.put(FeishuApps.DEFAULT, new FeishuClient(FeishuApps.DEFAULT, settings(feishu, FeishuSimulator.APP_ID,
        FeishuSimulator.APP_SECRET), JSON, Clock.systemUTC(), FeishuEvents.NONE, quotas, tickets));
    clients.put("second", new FeishuClient("second", settings(feishu, FeishuSimulator.SECOND_APP_ID,
        FeishuSimulator.SECOND_APP_SECRET), JSON, Clock.systemUTC(), FeishuEvents.NONE, quotas, tickets));
    FeishuApps apps = new FeishuApps(clients);
    WorkerSettings pace = new WorkerSettings(64, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(5));
    // the engine's one tenant may act as either app
    AppRouting routing = new AppRouting(apps, Map.of("<default>", List.copyOf(apps.names())), false);
    FeishuJobHandler handler = new FeishuJobHandler(routing, new RecentJobs(10_000), JSON, pace, JobEvents.NONE);
    List<JobSubscription> subscriptions = JobOperations.ALL.stream().map(operation -> new JobSubscription(operation,
        "feishu-test-workers", JOB_TIMEOUT, 32, operation.variableNames(), Optional.empty(), Optional.empty(),
        List.of("<default>"))).toList();
    FeishuJobWorkers workers = new FeishuJobWorkers(camunda, handler, JOB_TIMEOUT, subscriptions);
    workers.start();
    return new FeishuTestWorkers(apps, workers);
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
    return new FeishuSettings(feishu.baseUrl(), appId, secret, Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(5), 64, Duration.ofSeconds(10), 0, Duration.ofMinutes(1), Duration.ZERO,
        Duration.ofSeconds(5));
  }

  /** Stops taking jobs and answers the ones in flight. */
  @Override
  public void close() {
    workers.stop();
    apps.close();
  }
}
