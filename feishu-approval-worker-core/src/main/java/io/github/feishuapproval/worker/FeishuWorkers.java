package io.github.feishuapproval.worker;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.ExactJson;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Feishu job workers on one {@link CamundaClient}, wired from their parts: the one place the graph is built, for
 * the Spring Boot auto-configuration, the test kit and any other host. Every part has a default, the same for all.
 *
 * <pre>{@code
 * FeishuWorkers workers = FeishuWorkers.builder(camundaClient)
 *     .app(FeishuApps.DEFAULT, settings)
 *     .build();
 * workers.start();
 * ...
 * workers.close();
 * }</pre>
 */
public final class FeishuWorkers implements AutoCloseable {

  public static final String DEFAULT_WORKER_NAME = "feishu-approval-worker";
  public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_JOBS_ACTIVE = 128;
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMinutes(5);
  public static final Duration DEFAULT_STORE_RETRY_WAIT = Duration.ofSeconds(5);
  /** The jobs the in-process memory keeps. */
  public static final int RECENT_JOBS = 10_000;
  /** The tenant a client without tenants of its own works for. */
  public static final String DEFAULT_TENANT = "<default>";

  private final FeishuApps apps;
  private final FeishuJobHandler handler;
  private final FeishuJobWorkers workers;
  private final List<JobSubscription> subscriptions;

  private FeishuWorkers(FeishuApps apps, FeishuJobHandler handler, FeishuJobWorkers workers,
      List<JobSubscription> subscriptions) {
    this.apps = apps;
    this.handler = handler;
    this.workers = workers;
    this.subscriptions = subscriptions;
  }

  public static Builder builder(CamundaClient camunda) {
    return new Builder(camunda);
  }

  /** Every operation with the default settings, for the client's default tenant. */
  public static List<JobSubscription> defaultSubscriptions() {
    return JobOperations.ALL.stream().map(operation -> new JobSubscription(operation, DEFAULT_WORKER_NAME,
        DEFAULT_JOB_TIMEOUT, DEFAULT_MAX_JOBS_ACTIVE, operation.variableNames(), Optional.empty(), Optional.empty(),
        List.of(DEFAULT_TENANT))).toList();
  }

  /** Asks Feishu for the tickets store apps lack, then opens a job worker per subscription. */
  public void start() {
    apps.all().values().forEach(FeishuClient::requestTicketIfMissing);
    workers.start();
  }

  /** Stops taking jobs, then waits (up to the shutdown grace) for the ones in flight to be answered. */
  public void stop() {
    workers.stop();
  }

  public boolean isRunning() {
    return workers.isRunning();
  }

  /** Jobs taken and not answered yet. */
  public int jobsInFlight() {
    return handler.jobsInFlight();
  }

  public FeishuApps apps() {
    return apps;
  }

  public List<JobSubscription> subscriptions() {
    return subscriptions;
  }

  /** Stops, if running, and releases the Feishu clients' connections and threads. */
  @Override
  public void close() {
    if (isRunning()) stop();
    apps.close();
  }

  /** The parts of the workers; {@link #app} for the default app is the one that must be given. */
  public static final class Builder {

    private final CamundaClient camunda;
    private final Map<String, FeishuSettings> apps = new LinkedHashMap<>();
    private final Map<String, List<String>> appsByTenant = new LinkedHashMap<>();
    private boolean refuseUnmappedTenants;
    private QuotaStore quotas;
    private TicketStore tickets;
    private JobMemory memory;
    private FeishuEvents feishuEvents = FeishuEvents.NONE;
    private JobEvents jobEvents = JobEvents.NONE;
    private WorkerSettings settings;
    private List<JobSubscription> subscriptions = defaultSubscriptions();
    private Duration shutdownGrace;
    private Clock clock = Clock.systemUTC();

    private Builder(CamundaClient camunda) {
      this.camunda = Objects.requireNonNull(camunda, "camunda");
    }

    /** An app the workers act as; {@link FeishuApps#DEFAULT} is the one jobs use unless routed elsewhere. */
    public Builder app(String name, FeishuSettings settings) {
      apps.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * The apps jobs of {@code tenantId} may act as, the one they act as without a {@code feishuApp} header first
     * ({@link FeishuApps#DEFAULT} when it is among them).
     */
    public Builder appsForTenant(String tenantId, List<String> appNames) {
      appsByTenant.put(tenantId, List.copyOf(appNames));
      return this;
    }

    /** Whether a job of a tenant no app serves, without a header, is an incident instead of the default app's. */
    public Builder refuseUnmappedTenants(boolean refuse) {
      this.refuseUnmappedTenants = refuse;
      return this;
    }

    /** Where quotas are counted; by default in this process, as the default app's settings say. */
    public Builder quotaStore(QuotaStore quotas) {
      this.quotas = quotas;
      return this;
    }

    /** Where store apps' tickets are kept; by default in this process. */
    public Builder ticketStore(TicketStore tickets) {
      this.tickets = tickets;
      return this;
    }

    /** What is remembered of jobs; by default the last {@link FeishuWorkers#RECENT_JOBS} jobs of this process. */
    public Builder jobMemory(JobMemory memory) {
      this.memory = memory;
      return this;
    }

    /** Where Feishu calls, token fetches and quota waits are reported; by default nowhere. */
    public Builder feishuEvents(FeishuEvents events) {
      this.feishuEvents = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Where answered jobs are reported; by default nowhere. */
    public Builder jobEvents(JobEvents events) {
      this.jobEvents = Objects.requireNonNull(events, "events");
      return this;
    }

    public Builder workerSettings(WorkerSettings settings) {
      this.settings = settings;
      return this;
    }

    /** The job types to open and how; by default {@link #defaultSubscriptions()}. */
    public Builder subscriptions(List<JobSubscription> subscriptions) {
      if (subscriptions.isEmpty()) throw new IllegalArgumentException("no job type to subscribe to");
      this.subscriptions = List.copyOf(subscriptions);
      return this;
    }

    /** How long stopping waits for jobs in flight; by default the longest job timeout. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public FeishuWorkers build() {
      FeishuSettings defaultApp = apps.get(FeishuApps.DEFAULT);
      if (defaultApp == null) throw new IllegalArgumentException("the default app (" + FeishuApps.DEFAULT
          + ") is missing");
      appsByTenant.forEach((tenant, names) -> names.forEach(app -> {
        if (!apps.containsKey(app)) {
          throw new IllegalArgumentException("the tenant " + tenant + " is served by the app '" + app
              + "', which is not configured");
        }
      }));
      var json = ExactJson.newMapper();
      QuotaStore quotaStore = quotas != null ? quotas
          : QuotaStore.inProcess(Math.max(1, defaultApp.quotaCalls()), defaultApp.quotaWindow(), clock);
      TicketStore ticketStore = tickets != null ? tickets : TicketStore.inProcess(clock);
      FeishuApps feishuApps = FeishuApps.of(apps, json, clock, feishuEvents, quotaStore, ticketStore);
      WorkerSettings pace = settings != null ? settings : new WorkerSettings(DEFAULT_MAX_IN_FLIGHT,
          DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_RETRY_BACKOFF, DEFAULT_STORE_RETRY_WAIT);
      FeishuJobHandler handler = new FeishuJobHandler(new AppRouting(feishuApps, appsByTenant, refuseUnmappedTenants),
          memory != null ? memory : JobMemory.inProcess(RECENT_JOBS), json, pace, jobEvents);
      Duration grace = shutdownGrace != null ? shutdownGrace
          : subscriptions.stream().map(JobSubscription::timeout).max(Comparator.naturalOrder()).orElseThrow();
      return new FeishuWorkers(feishuApps, handler, new FeishuJobWorkers(camunda, handler, grace, subscriptions),
          subscriptions);
    }
  }
}
