package io.github.feishuapproval.config;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.CallbackCredentials;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.web.FlowCallbackEndpoint;
import io.github.feishuapproval.worker.FlowCallbackMessages;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The endpoint aPaaS flows call back with a human's decision, in a servlet web application where an app has a
 * {@code callback-secret}; only those apps get a path, and without one no path is added to the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(FeishuConditions.CallbackSecretConfigured.class)
@Import(EventEndpointSecurity.class)
class CallbackEndpointConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FlowCallbackEndpoint feishuFlowCallbackEndpoint(FeishuProperties properties, CamundaClient camundaClient,
      SeenEvents seen) {
    Map<String, FeishuProperties.App> apps = new LinkedHashMap<>();
    apps.put(FeishuApps.DEFAULT, properties.defaultApp());
    apps.putAll(properties.apps());
    Map<String, CallbackCredentials> credentials = new LinkedHashMap<>();
    apps.forEach((name, app) -> {
      if (app.callbackSecret() != null && !app.callbackSecret().isBlank()) {
        credentials.put(name, new CallbackCredentials(app.callbackSecret(),
            app.callbackSignature() == FeishuProperties.CallbackSignature.REQUIRED, app.camundaTenants()));
      }
    });
    FeishuProperties.Callbacks callbacks = properties.callbacks();
    Duration storeTimeout = properties.store().timeout().plusSeconds(1);
    FlowCallbackVerifier verifier = new FlowCallbackVerifier(Clock.systemUTC(), seen, callbacks.signatureMaxAge(),
        storeTimeout);
    FlowCallbackMessages messages = new FlowCallbackMessages(camundaClient, seen, callbacks.messageTimeToLive(),
        callbacks.messageIdMemory(), callbacks.publishTimeout(), storeTimeout);
    return new FlowCallbackEndpoint(credentials, verifier, messages, Clock.systemUTC());
  }
}
