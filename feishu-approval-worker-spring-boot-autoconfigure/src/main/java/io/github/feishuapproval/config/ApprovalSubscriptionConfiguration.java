package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.ApprovalSubscriptions;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.worker.FeishuWorkers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Subscribes each self-built app to the Approval definitions its {@code approval-codes} list, in the background once
 * the application starts; a store app acts for many tenants and is not subscribed here.
 */
@Configuration(proxyBeanMethods = false)
class ApprovalSubscriptionConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ApprovalSubscriptionConfiguration.class);
  static final Duration RETRY_WAIT = Duration.ofSeconds(30);
  static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(30);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ApprovalSubscriptions feishuApprovalSubscriptions(FeishuProperties properties, FeishuWorkers workers) {
    Map<String, FeishuProperties.App> apps = new LinkedHashMap<>();
    apps.put(FeishuApps.DEFAULT, properties.defaultApp());
    apps.putAll(properties.apps());
    Map<String, FeishuClient> clients = new LinkedHashMap<>();
    Map<String, List<String>> codes = new LinkedHashMap<>();
    apps.forEach((name, app) -> {
      List<String> listed = app.approvalCodes().stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
      if (listed.isEmpty()) return;
      if (app.type() == FeishuProperties.AppType.STORE) {
        log.warn("The store app {} lists approval-codes; store apps are not subscribed at start, as each customer "
            + "tenant subscribes its own definitions", name);
        return;
      }
      workers.apps().named(name).ifPresent(client -> {
        clients.put(name, client);
        codes.put(name, listed);
      });
    });
    return new ApprovalSubscriptions(clients, codes, RETRY_WAIT, MAX_RETRY_WAIT);
  }

  @Bean
  @ConditionalOnMissingBean(name = "feishuApprovalSubscriptionsLifecycle")
  SmartLifecycle feishuApprovalSubscriptionsLifecycle(ApprovalSubscriptions subscriptions) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        subscriptions.start();
        running = true;
      }

      @Override
      public void stop() {
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
