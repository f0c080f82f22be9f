package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.web.FeishuEventEndpoint;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The endpoint Feishu pushes store apps' events to, in a servlet web application that has a store app configured;
 * without one, no path is added to the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(FeishuConditions.StoreAppConfigured.class)
@Import(EventEndpointSecurity.class)
class EventEndpointConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FeishuEventEndpoint feishuEventEndpoint(FeishuProperties properties, TicketStore tickets, SeenEvents seen) {
    Map<String, EventSubscription> subscriptions = new LinkedHashMap<>();
    Map<String, FeishuProperties.App> apps = new LinkedHashMap<>();
    apps.put(FeishuApps.DEFAULT, properties.defaultApp());
    apps.putAll(properties.apps());
    apps.forEach((name, app) -> {
      if (app.type() == FeishuProperties.AppType.STORE) {
        subscriptions.put(name, new EventSubscription(app.appId().trim(), app.verificationToken(),
            Optional.ofNullable(app.encryptKey()).filter(key -> !key.isBlank())));
      }
    });
    EventVerifier verifier = new EventVerifier(Clock.systemUTC(), seen, properties.store().timeout().plusSeconds(1));
    return new FeishuEventEndpoint(subscriptions, verifier, tickets, Clock.systemUTC(),
        properties.store().timeout().plusSeconds(1));
  }
}
