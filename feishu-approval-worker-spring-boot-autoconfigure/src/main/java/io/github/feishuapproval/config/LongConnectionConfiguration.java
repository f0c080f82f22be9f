package io.github.feishuapproval.config;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.LongConnection;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.worker.ApprovalEventDelivery;
import io.github.feishuapproval.worker.LongConnectionEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A long connection (长连接) to Feishu for every app whose {@code events-delivery} is {@code long-connection}, opened
 * by every replica once the application starts and closed when it stops; no web server is needed. Feishu gives each
 * event to one connection of the app; the connection acknowledges it only once Camunda took its message.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(FeishuConditions.LongConnectionConfigured.class)
class LongConnectionConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FeishuLongConnections feishuLongConnections(FeishuProperties properties, WorkerPlan plan, SeenEvents seen,
      ObjectProvider<CamundaClient> camundaClient) {
    Map<String, FeishuProperties.App> apps = new LinkedHashMap<>();
    apps.put(FeishuApps.DEFAULT, properties.defaultApp());
    apps.putAll(properties.apps());
    Map<String, List<String>> tenants = new LinkedHashMap<>();
    apps.forEach((name, app) -> tenants.put(name, app.camundaTenants()));
    EventVerifier verifier = new EventVerifier(Clock.systemUTC(), seen, properties.store().timeout().plusSeconds(1));
    ApprovalEventDelivery delivery = new ApprovalEventDelivery(EventEndpointConfiguration.approvalEventMessages(
        properties, seen, camundaClient.getIfAvailable()), tenants);
    List<LongConnection> connections = new ArrayList<>();
    apps.forEach((name, app) -> {
      if (app.eventsDelivery() != FeishuProperties.EventsDelivery.LONG_CONNECTION) return;
      String appId = app.appId().trim();
      LongConnectionEvents events = new LongConnectionEvents(name, appId,
          Optional.ofNullable(app.verificationToken()).filter(token -> !token.isBlank()), verifier, delivery);
      connections.add(new LongConnection(name, plan.feishuSettings(properties, app), events));
    });
    return new FeishuLongConnections(connections);
  }
}
