package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.web.FeishuEventEndpoint;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import io.github.feishuapproval.worker.FlowCallbackMessages;
import io.camunda.client.CamundaClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The endpoint Feishu pushes apps' events to, in a servlet web application that has a store app, or an app with a
 * Verification Token, configured; without one, no path is added to the application. Approval events become Camunda
 * messages when a Camunda client is there, published within {@link #APPROVAL_PUBLISH_TIMEOUT}, inside Feishu's 3 s.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(FeishuConditions.EventsConfigured.class)
@Import(EventEndpointSecurity.class)
class EventEndpointConfiguration {

  /** Feishu pushes again what is not answered 200 within 3 s: the publish, and the wait for it, stay well inside. */
  static final Duration APPROVAL_PUBLISH_TIMEOUT = Duration.ofMillis(1500);

  @Bean
  @ConditionalOnMissingBean
  FeishuEventEndpoint feishuEventEndpoint(FeishuProperties properties, TicketStore tickets, SeenEvents seen,
      ObjectProvider<CamundaClient> camundaClient) {
    Map<String, EventSubscription> subscriptions = new LinkedHashMap<>();
    Set<String> storeApps = storeApps(properties);
    Map<String, List<String>> tenants = new LinkedHashMap<>();
    Map<String, FeishuProperties.App> apps = new LinkedHashMap<>();
    apps.put(FeishuApps.DEFAULT, properties.defaultApp());
    apps.putAll(properties.apps());
    apps.forEach((name, app) -> {
      boolean store = app.type() == FeishuProperties.AppType.STORE;
      boolean events = app.verificationToken() != null && !app.verificationToken().isBlank();
      if (store || (events && app.appId() != null && !app.appId().isBlank())) {
        subscriptions.put(name, new EventSubscription(app.appId().trim(), app.verificationToken(),
            Optional.ofNullable(app.encryptKey()).filter(key -> !key.isBlank())));
        tenants.put(name, app.camundaTenants());
      }
    });
    Duration storeTimeout = properties.store().timeout().plusSeconds(1);
    EventVerifier verifier = new EventVerifier(Clock.systemUTC(), seen, storeTimeout);
    return new FeishuEventEndpoint(subscriptions, storeApps, verifier, tickets, Clock.systemUTC(), storeTimeout,
        approvalEventMessages(properties, seen, camundaClient.getIfAvailable()), tenants);
  }

  /** Where Approval events go, however they come; null without a Camunda client. */
  static ApprovalEventMessages approvalEventMessages(FeishuProperties properties, SeenEvents seen,
      CamundaClient camunda) {
    if (camunda == null) return null;
    FeishuProperties.Callbacks callbacks = properties.callbacks();
    return new ApprovalEventMessages(new FlowCallbackMessages(camunda, seen, callbacks.messageTimeToLive(),
        callbacks.messageIdMemory(), shorter(callbacks.publishTimeout(), APPROVAL_PUBLISH_TIMEOUT),
        properties.store().timeout().plusSeconds(1)), storeApps(properties));
  }

  /** The names of the configured store apps, the default one ({@code default}) among them when it is one. */
  private static Set<String> storeApps(FeishuProperties properties) {
    Set<String> storeApps = new LinkedHashSet<>();
    if (properties.defaultApp().type() == FeishuProperties.AppType.STORE) storeApps.add(FeishuApps.DEFAULT);
    properties.apps().forEach((name, app) -> {
      if (app.type() == FeishuProperties.AppType.STORE) storeApps.add(name);
    });
    return storeApps;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
