package io.github.feishuapproval.config;

import io.camunda.client.impl.CamundaClientBuilderImpl;
import io.camunda.client.spring.properties.CamundaClientJobWorkerProperties;
import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.feishuapproval.worker.JobOperation;
import io.github.feishuapproval.worker.JobSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The settings each Feishu job type is opened with. The {@code feishu.worker.*} values play the part a
 * {@code @JobWorker} annotation plays for Camunda's own workers, and the {@code camunda.client.worker.*} properties
 * apply on top of them as Camunda applies them to annotated workers: a default that differs from Camunda's own
 * default wins over them, an override for the job type wins over both, and the tenants merge as they do for
 * {@code @JobWorker}. Settings that cannot work for these job types stop the worker at startup, saying what to set.
 */
final class JobSubscriptions {

  /** A value and the property it came from, for messages that tell an operator what to change. */
  record Sourced<T>(T value, String property) {}

  /** One job type's resolved settings, with where the job timeout came from. */
  record Resolved(JobSubscription subscription, String timeoutProperty) {}

  private static final String DEFAULTS = "camunda.client.worker.defaults.";

  private JobSubscriptions() {}

  static List<Resolved> resolve(CamundaClientProperties camunda, FeishuProperties.Worker feishu,
      List<JobOperation> operations) {
    List<Resolved> resolved = new ArrayList<>();
    CamundaClientJobWorkerProperties defaults = camunda.getWorker().getDefaults();
    for (JobOperation operation : operations) {
      String type = operation.jobType();
      String overridePrefix = "camunda.client.worker.override." + type + ".";
      CamundaClientJobWorkerProperties override = camunda.getWorker().getOverride().get(type);
      refuseWhatCannotWork(type, overridePrefix, defaults, override);
      Boolean enabled = pick(defaults, override, CamundaClientJobWorkerProperties::getEnabled, null, true,
          "", overridePrefix, "enabled").value();
      if (!enabled) continue;
      Sourced<String> name = pick(defaults, override, CamundaClientJobWorkerProperties::getName,
          CamundaClientBuilderImpl.DEFAULT_JOB_WORKER_NAME_VAR, feishu.name(), "feishu.worker.name", overridePrefix,
          "name");
      Sourced<Duration> timeout = pick(defaults, override, CamundaClientJobWorkerProperties::getTimeout,
          CamundaClientBuilderImpl.DEFAULT_JOB_TIMEOUT, feishu.jobTimeout(), "feishu.worker.job-timeout",
          overridePrefix, "timeout");
      Sourced<Integer> maxJobsActive = pick(defaults, override, CamundaClientJobWorkerProperties::getMaxJobsActive,
          CamundaClientBuilderImpl.DEFAULT_MAX_JOBS_ACTIVE, feishu.maxJobsActive(), "feishu.worker.max-jobs-active",
          overridePrefix, "max-jobs-active");
      Duration pollInterval = pick(defaults, override, CamundaClientJobWorkerProperties::getPollInterval, null, null,
          "", overridePrefix, "poll-interval").value();
      Duration requestTimeout = pick(defaults, override, CamundaClientJobWorkerProperties::getRequestTimeout, null,
          null, "", overridePrefix, "request-timeout").value();
      resolved.add(new Resolved(new JobSubscription(operation, name.value(), timeout.value(), maxJobsActive.value(),
          fetchVariables(operation, defaults), Optional.ofNullable(pollInterval), Optional.ofNullable(requestTimeout),
          tenantIds(camunda, defaults, override)), timeout.property()));
    }
    return resolved;
  }

  /** Camunda's rule for {@code @JobWorker}: the worker defaults' tenants, or else the client's tenant. */
  private static List<String> tenantIds(CamundaClientProperties camunda, CamundaClientJobWorkerProperties defaults,
      CamundaClientJobWorkerProperties override) {
    if (override != null && override.getTenantIds() != null && !override.getTenantIds().isEmpty()) {
      return List.copyOf(new LinkedHashSet<>(override.getTenantIds()));
    }
    List<String> fromDefaults = defaults.getTenantIds();
    if (fromDefaults != null && !fromDefaults.equals(CamundaClientBuilderImpl.DEFAULT_JOB_WORKER_TENANT_IDS)) {
      return List.copyOf(new LinkedHashSet<>(fromDefaults));
    }
    return List.of(camunda.getTenantId());
  }

  private static List<String> fetchVariables(JobOperation operation, CamundaClientJobWorkerProperties defaults) {
    if (Boolean.TRUE.equals(defaults.getForceFetchAllVariables())) return List.of();
    Set<String> names = new LinkedHashSet<>(operation.variableNames());
    if (defaults.getFetchVariables() != null) names.addAll(defaults.getFetchVariables());
    return List.copyOf(names);
  }

  private static void refuseWhatCannotWork(String type, String overridePrefix,
      CamundaClientJobWorkerProperties defaults, CamundaClientJobWorkerProperties override) {
    boolean streamByDefault = Boolean.TRUE.equals(defaults.getStreamEnabled());
    Boolean streamOverride = override == null ? null : override.getStreamEnabled();
    if (Boolean.TRUE.equals(streamOverride) || (streamByDefault && streamOverride == null)) {
      String set = Boolean.TRUE.equals(streamOverride) ? overridePrefix + "stream-enabled=true"
          : DEFAULTS + "stream-enabled=true";
      throw new InvalidConfigurationException(set + " would stream jobs of type " + type + " to the worker: the "
          + "gateway then pushes jobs past feishu.worker.max-jobs-active, the bound that keeps the jobs a worker holds "
          + "within what the Feishu quota can serve before their timeout. Set " + overridePrefix
          + "stream-enabled=false (and the same for the other Feishu job types), or leave streaming off");
    }
    if (override == null) return;
    if (override.getType() != null && !override.getType().equals(type)) {
      throw new InvalidConfigurationException(overridePrefix + "type renames a Feishu job type, which the element "
          + "templates fix: remove it");
    }
    if (override.getFetchVariables() != null || override.getForceFetchAllVariables() != null) {
      throw new InvalidConfigurationException(overridePrefix + "fetch-variables and force-fetch-all-variables do not "
          + "apply to " + type + ": it fetches the variables its operation reads. Remove them (variables to fetch in "
          + "addition can go in " + DEFAULTS + "fetch-variables)");
    }
  }

  /**
   * The override for the job type if set; else the worker default if it is not Camunda's own default; else ours.
   */
  private static <T> Sourced<T> pick(CamundaClientJobWorkerProperties defaults,
      CamundaClientJobWorkerProperties override, Function<CamundaClientJobWorkerProperties, T> getter,
      T camundaDefault, T ours, String ourProperty, String overridePrefix, String name) {
    T overridden = override == null ? null : getter.apply(override);
    if (overridden != null) return new Sourced<>(overridden, overridePrefix + name);
    T fromDefaults = getter.apply(defaults);
    if (fromDefaults != null && !Objects.equals(fromDefaults, camundaDefault)) {
      return new Sourced<>(fromDefaults, DEFAULTS + name);
    }
    return new Sourced<>(ours, ourProperty);
  }
}
