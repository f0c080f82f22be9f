package io.github.feishuapproval.config;

import io.github.feishuapproval.web.FeishuEventEndpoint;
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
 * In an application with Spring Security, the event endpoint's own filter chain: Feishu's pushes carry no session,
 * login or CSRF token, and prove themselves by signature and Verification Token instead, so the chain lets them
 * through without CSRF, for {@code /feishu/events/**} only. It comes before the application's chains; every other
 * path stays as the application secures it. A bean named {@code feishuEventEndpointSecurityFilterChain} replaces it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.security.web.SecurityFilterChain",
    "org.springframework.security.config.annotation.web.builders.HttpSecurity"})
@ConditionalOnBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
class EventEndpointSecurity {

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  @ConditionalOnMissingBean(name = "feishuEventEndpointSecurityFilterChain")
  SecurityFilterChain feishuEventEndpointSecurityFilterChain(HttpSecurity http) throws Exception {
    return http.securityMatcher(FeishuEventEndpoint.PATH + "**")
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(AbstractHttpConfigurer::disable)
        .build();
  }
}
