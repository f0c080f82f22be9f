package io.github.feishuapproval.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.worker.AppRouting;
import io.github.feishuapproval.worker.FeishuJobHandler;
import io.github.feishuapproval.worker.FeishuJobWorkers;
import io.github.feishuapproval.worker.JobMemory;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.JobSubscription;
import io.github.feishuapproval.worker.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the Feishu client and the job workers from {@link FeishuProperties} and the Camunda client's settings. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  /** Feishu ids are long integers and must keep every digit, so numbers are read exactly. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  @Bean
  MicrometerEvents feishuMetrics(ObjectProvider<MeterRegistry> registry) {
    return new MicrometerEvents(registry.getIfAvailable(() -> Metrics.globalRegistry));
  }

  @Bean
  WorkerPlan feishuWorkerPlan(FeishuProperties properties, CamundaClientProperties camunda) {
    WorkerPlan plan = WorkerPlan.of(properties, camunda, JobOperations.ALL);
    CamundaTransport.check(camunda, plan.subscriptions().size(), properties.worker().maxInFlight());
    return plan;
  }

  @Bean(destroyMethod = "close")
  FeishuApps feishuApps(FeishuProperties properties, WorkerPlan plan, MicrometerEvents events, QuotaStore quotas,
      TicketStore tickets) {
    Map<String, FeishuClient> clients = new LinkedHashMap<>();
    clients.put(FeishuApps.DEFAULT, new FeishuClient(FeishuApps.DEFAULT,
        plan.feishuSettings(properties, properties.defaultApp()), JSON, Clock.systemUTC(), events, quotas, tickets));
    properties.apps().forEach((name, app) -> clients.put(name, new FeishuClient(name,
        plan.feishuSettings(properties, app), JSON, Clock.systemUTC(), events, quotas, tickets)));
    return new FeishuApps(clients);
  }

  @Bean
  FeishuJobHandler feishuJobHandler(FeishuApps apps, FeishuProperties properties, WorkerPlan plan, JobMemory memory,
      MicrometerEvents events) {
    FeishuProperties.Worker w = properties.worker();
    return new FeishuJobHandler(new AppRouting(apps, plan.appsByTenant(),
        properties.unmappedTenants() == FeishuProperties.UnmappedTenants.INCIDENT), memory, JSON,
        new WorkerSettings(w.maxInFlight(), w.retryBackoff(), w.maxRetryBackoff(), properties.store().retryWait()),
        events);
  }

  @Bean
  FeishuJobWorkers feishuJobWorkers(CamundaClient camundaClient, FeishuJobHandler handler,
      FeishuProperties properties, WorkerPlan plan) {
    List<JobSubscription> subscriptions = plan.subscriptions();
    return new FeishuJobWorkers(camundaClient, handler, properties.worker().shutdownGrace(), subscriptions);
  }

  @Bean
  SmartLifecycle feishuJobWorkersLifecycle(FeishuJobWorkers workers, FeishuApps apps) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        apps.all().values().forEach(FeishuClient::requestTicketIfMissing);
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
}
