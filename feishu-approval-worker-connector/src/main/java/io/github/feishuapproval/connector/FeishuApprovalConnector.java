package io.github.feishuapproval.connector;

import io.camunda.connector.api.annotation.OutboundConnector;
import io.camunda.connector.api.outbound.OutboundConnectorContext;
import io.camunda.connector.api.outbound.OutboundConnectorFunction;
import io.github.feishuapproval.feishu.ExactJson;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.worker.FeishuWorkers;
import io.github.feishuapproval.worker.JobMemory;
import java.time.Clock;

/**
 * Every Feishu operation of the worker as one outbound connector: the task header {@code feishuOperation} (which the
 * element templates set) says which. The runtime finds it through {@code META-INF/services}.
 */
@OutboundConnector(name = "Feishu approval", type = FeishuApprovalConnector.TYPE)
public final class FeishuApprovalConnector implements OutboundConnectorFunction, AutoCloseable {

  /** The job type the element templates give the tasks, unless a team changes it. */
  public static final String TYPE = "io.github.feishuapproval:feishu-approval:1";

  private final FeishuTasks tasks;
  private final QuotaStore quotas;
  private final LettuceQuotaRedis redis;

  /**
   * As the runtime creates it: the settings from its environment; the quota counted in this runtime replica, or with
   * {@code FEISHU_STORE_TYPE=redis} in every replica together.
   */
  public FeishuApprovalConnector() {
    this(ConnectorSettings.fromEnvironment(), Clock.systemUTC());
  }

  FeishuApprovalConnector(ConnectorSettings settings, Clock clock) {
    var json = ExactJson.newMapper();
    int calls = Math.max(1, settings.quotaCalls());
    this.redis = settings.redis().map(LettuceQuotaRedis::new).orElse(null);
    this.quotas = redis == null ? QuotaStore.inProcess(calls, settings.quotaWindow(), clock)
        : redis.quotas(calls, settings.quotaWindow());
    this.tasks = new FeishuTasks(settings, new ConnectorApps(settings, json, clock, quotas),
        JobMemory.inProcess(FeishuWorkers.RECENT_JOBS), json);
  }

  @Override
  public Object execute(OutboundConnectorContext context) {
    return tasks.run(context.getJobContext());
  }

  /** Stops the quota's lease renewals and closes the connection to Redis, if there is one. */
  @Override
  public void close() {
    quotas.close();
    if (redis != null) redis.close();
  }
}
