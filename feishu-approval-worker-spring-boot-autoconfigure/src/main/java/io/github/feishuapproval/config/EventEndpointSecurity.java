package io.github.feishuapproval.config;

import io.github.feishuapproval.web.FeishuEventEndpoint;
import io.github.feishuapproval.web.FlowCallbackEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * In an application with Spring Security, the inbound endpoints' own filter chain: Feishu's pushes and aPaaS flows'
 * callbacks carry no session, login or CSRF token, and prove themselves by signature, Verification Token or callback
 * secret instead, so the chain lets them through without CSRF, for {@code /feishu/events/**} and
 * {@code /feishu/callbacks/**} only, each where its endpoint exists. It comes before the application's chains; every
 * other path stays as the application secures it. A bean named {@code feishuEventEndpointSecurityFilterChain}
 * replaces it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.security.web.SecurityFilterChain",
    "org.springframework.security.config.annotation.web.builders.HttpSecurity"})
@ConditionalOnBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
class EventEndpointSecurity {

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  @ConditionalOnMissingBean(name = "feishuEventEndpointSecurityFilterChain")
  SecurityFilterChain feishuEventEndpointSecurityFilterChain(HttpSecurity http,
      ObjectProvider<FeishuEventEndpoint> events, ObjectProvider<FlowCallbackEndpoint> callbacks) throws Exception {
    List<String> paths = new ArrayList<>();
    if (events.getIfAvailable() != null) paths.add(FeishuEventEndpoint.PATH + "**");
    if (callbacks.getIfAvailable() != null) paths.add(FlowCallbackEndpoint.PATH + "**");
    return http.securityMatcher(paths.toArray(String[]::new))
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(AbstractHttpConfigurer::disable)
        .build();
  }
}
