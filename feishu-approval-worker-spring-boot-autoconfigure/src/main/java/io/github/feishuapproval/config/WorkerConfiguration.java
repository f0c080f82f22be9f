package io.github.feishuapproval.config;

import io.camunda.client.CamundaClient;
import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.worker.FeishuWorkers;
import io.github.feishuapproval.worker.JobEvents;
import io.github.feishuapproval.worker.JobMemory;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The job workers from {@link FeishuProperties} and the Camunda client's settings, built by {@link FeishuWorkers}
 * as the test kit builds them; every part the host defines itself (a store, the events) is used instead of ours.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  @Bean
  @ConditionalOnMissingBean
  WorkerPlan feishuWorkerPlan(FeishuProperties properties, CamundaClientProperties camunda, Environment environment) {
    FeishuKeys.check(environment);
    WorkerPlan plan = WorkerPlan.of(properties, camunda, JobOperations.ALL);
    CamundaTransport.check(camunda, plan.subscriptions().size(), properties.worker().maxInFlight());
    return plan;
  }

  @Bean
  @ConditionalOnMissingBean
  FeishuWorkers feishuWorkers(CamundaClient camundaClient, FeishuProperties properties, WorkerPlan plan,
      QuotaStore quotas, TicketStore tickets, JobMemory memory, ObjectProvider<FeishuEvents> feishuEvents,
      ObjectProvider<JobEvents> jobEvents) {
    FeishuProperties.Worker w = properties.worker();
    FeishuWorkers.Builder builder = FeishuWorkers.builder(camundaClient)
        .app(FeishuApps.DEFAULT, plan.feishuSettings(properties, properties.defaultApp()));
    properties.apps().forEach((name, app) -> builder.app(name, plan.feishuSettings(properties, app)));
    plan.appsByTenant().forEach(builder::appsForTenant);
    return builder
        .refuseUnmappedTenants(properties.unmappedTenants() == FeishuProperties.UnmappedTenants.INCIDENT)
        .quotaStore(quotas)
        .ticketStore(tickets)
        .jobMemory(memory)
        .feishuEvents(feishuEvents.getIfUnique(() -> FeishuEvents.NONE))
        .jobEvents(jobEvents.getIfUnique(() -> JobEvents.NONE))
        .workerSettings(new WorkerSettings(w.maxInFlight(), w.retryBackoff(), w.maxRetryBackoff(),
            properties.store().retryWait()))
        .subscriptions(plan.subscriptions())
        .shutdownGrace(w.shutdownGrace())
        .build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "feishuWorkersLifecycle")
  SmartLifecycle feishuWorkersLifecycle(FeishuWorkers workers) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        workers.start();
      }

      @Override
      public void stop() {
        workers.stop();
      }

      @Override
      public boolean isRunning() {
        return workers.isRunning();
      }
    };
  }

  /** Meters only in the application's own registry: without one there are none, and nothing global is touched. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean({FeishuEvents.class, JobEvents.class})
    MicrometerEvents feishuMetrics(MeterRegistry registry) {
      return new MicrometerEvents(registry);
    }
  }
}
