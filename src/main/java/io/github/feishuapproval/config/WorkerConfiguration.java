package io.github.feishuapproval.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.BaseUrls;
import io.github.feishuapproval.feishu.FeishuApps;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.worker.FeishuJobHandler;
import io.github.feishuapproval.worker.FeishuJobWorkers;
import io.github.feishuapproval.worker.JobOperations;
import io.github.feishuapproval.worker.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the Feishu client and the job workers from {@link FeishuProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeishuProperties.class)
public class WorkerConfiguration {

  /** Feishu ids are long integers and must keep every digit, so numbers are read exactly. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static final Duration QUOTA_WAIT_MARGIN = Duration.ofSeconds(5);

  @Bean
  MicrometerEvents feishuMetrics(MeterRegistry registry) {
    return new MicrometerEvents(registry);
  }

  @Bean(destroyMethod = "close")
  FeishuApps feishuApps(FeishuProperties properties, MicrometerEvents events) {
    Map<String, FeishuClient> clients = new LinkedHashMap<>();
    clients.put(FeishuApps.DEFAULT, new FeishuClient(FeishuApps.DEFAULT, feishuSettings(properties), JSON,
        Clock.systemUTC(), events));
    properties.apps().forEach((name, app) -> {
      if (name.equals(FeishuApps.DEFAULT)) {
        throw new InvalidConfigurationException("feishu.apps.default is reserved for FEISHU_APP_ID and "
            + "FEISHU_APP_SECRET (feishu.app-id, feishu.app-secret): give the extra app another name");
      }
      if (isBlank(app.appId()) || isBlank(app.appSecret())) {
        throw new InvalidConfigurationException("feishu.apps." + name + " needs both app-id and app-secret");
      }
      FeishuProperties named = new FeishuProperties(app.appId(), app.appSecret(), Map.of(), properties.baseUrl(),
          properties.http(), properties.worker(), properties.rateLimit());
      clients.put(name, new FeishuClient(name, feishuSettings(named), JSON, Clock.systemUTC(), events));
    });
    return new FeishuApps(clients);
  }

  @Bean
  FeishuJobHandler feishuJobHandler(FeishuApps apps, FeishuProperties properties, MicrometerEvents events) {
    return new FeishuJobHandler(apps, JSON, workerSettings(properties), events);
  }

  @Bean
  FeishuHealthIndicator feishuHealthIndicator(FeishuApps apps) {
    return new FeishuHealthIndicator(apps);
  }

  @Bean
  FeishuJobWorkers feishuJobWorkers(CamundaClient camundaClient, FeishuJobHandler handler,
      FeishuProperties properties) {
    return new FeishuJobWorkers(camundaClient, handler, workerSettings(properties), JobOperations.ALL);
  }

  @Bean
  SmartLifecycle feishuJobWorkersLifecycle(FeishuJobWorkers workers) {
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

  static FeishuSettings feishuSettings(FeishuProperties p) {
    if (isBlank(p.appId()) || isBlank(p.appSecret())) {
      throw new InvalidConfigurationException("Feishu app credentials are missing: set FEISHU_APP_ID and "
          + "FEISHU_APP_SECRET (feishu.app-id, feishu.app-secret) to the self-built app's id and secret");
    }
    try {
      BaseUrls.requireSafe(p.baseUrl());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("FEISHU_BASE_URL (feishu.base-url) is not usable: " + e.getMessage());
    }
    Duration worstCase = p.http().callTimeout().multipliedBy(4);
    if (worstCase.compareTo(p.worker().jobTimeout()) >= 0) {
      throw new InvalidConfigurationException("feishu.worker.job-timeout (" + p.worker().jobTimeout()
          + ") must be longer than four feishu.http.call-timeout (" + p.http().callTimeout()
          + "): a job may fetch a token and call Feishu twice before it is answered");
    }
    // a job may wait for a quota slot only as long as its timeout still covers the calls that follow
    Duration maxQuotaWait = p.worker().jobTimeout().minus(worstCase).minus(QUOTA_WAIT_MARGIN);
    return new FeishuSettings(p.baseUrl(), p.appId().trim(), p.appSecret().trim(),
        p.http().connectTimeout(), p.http().readTimeout(), p.http().callTimeout(), p.worker().maxInFlight(),
        p.http().rateLimitDefaultWait(), p.rateLimit().calls(), p.rateLimit().window(),
        maxQuotaWait.isNegative() ? Duration.ZERO : maxQuotaWait);
  }

  static WorkerSettings workerSettings(FeishuProperties p) {
    FeishuProperties.Worker w = p.worker();
    if (w.shutdownGrace().compareTo(w.jobTimeout()) < 0) {
      // a job is never in the worker's hands longer than its timeout; a shorter grace could abandon a call under way
      throw new InvalidConfigurationException("feishu.worker.shutdown-grace (" + w.shutdownGrace()
          + ") must be at least feishu.worker.job-timeout (" + w.jobTimeout() + "), so a stopping worker answers "
          + "every job it holds instead of leaving it locked while Feishu may already have acted");
    }
    return new WorkerSettings(w.name(), w.jobTimeout(), w.maxJobsActive(), w.maxInFlight(), w.retryBackoff(),
        w.maxRetryBackoff(), w.shutdownGrace());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
