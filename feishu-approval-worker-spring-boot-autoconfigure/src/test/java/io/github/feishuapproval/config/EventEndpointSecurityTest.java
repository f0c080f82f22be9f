package io.github.feishuapproval.config;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import jakarta.servlet.Filter;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** Feishu's pushes reach the endpoint in a host with Spring Security, and nothing else of the host is opened. */
class EventEndpointSecurityTest {

  private static final String TOKEN = "verification-token";
  private static final String ENCRYPT_KEY = "encrypt-key";
  private static final String CALLBACK_SECRET = "callback-secret-for-the-chain";

  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CamundaAutoConfiguration.class, JacksonAutoConfiguration.class,
          ValidationAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
          WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class, FeishuWorkerAutoConfiguration.class))
      .withPropertyValues("camunda.client.grpc-address=http://127.0.0.1:1",
          "camunda.client.rest-address=http://127.0.0.1:1", "camunda.client.auth.method=none",
          "feishu.app-id=cli_a", "feishu.app-secret=a", "feishu.apps.isv.type=store", "feishu.apps.isv.app-id=cli_isv",
          "feishu.apps.isv.app-secret=s", "feishu.apps.isv.verification-token=" + TOKEN,
          "feishu.apps.isv.encrypt-key=" + ENCRYPT_KEY, "feishu.apps.isv.callback-secret=" + CALLBACK_SECRET);

  /** A host that asks for a login everywhere, with CSRF protection on. */
  @Configuration(proxyBeanMethods = false)
  static class LockedDownHost {
    @Bean
    SecurityFilterChain hostChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults()).build();
    }
  }

  /** A host that decides about the endpoint itself. */
  @Configuration(proxyBeanMethods = false)
  static class OwnEndpointChain {
    @Bean
    SecurityFilterChain feishuEventEndpointSecurityFilterChain(HttpSecurity http) throws Exception {
      return http.securityMatcher("/feishu/events/**")
          .authorizeHttpRequests(requests -> requests.anyRequest().denyAll()).build();
    }
  }

  @Test
  void withSpringBootsDefaultSecurityAPushIsAnsweredAndEveryOtherPathStillAsksForALogin() {
    web.run(context -> {
      MockMvc mvc = mvc(context);
      mvc.perform(challenge()).andExpect(status().isOk()).andExpect(content().json("{\"challenge\":\"c-1\"}"));
      mvc.perform(get("/anything")).andExpect(status().isUnauthorized());
      mvc.perform(post("/anything")).andExpect(status().is4xxClientError());
    });
  }

  @Test
  void withTheHostsOwnChainAPushIsAnsweredWithoutACsrfToken() {
    web.withUserConfiguration(LockedDownHost.class).run(context -> {
      MockMvc mvc = mvc(context);
      mvc.perform(challenge()).andExpect(status().isOk());
      mvc.perform(get("/anything")).andExpect(status().isUnauthorized());
    });
  }

  @Test
  void withTheHostsOwnChainAFlowCallbackReachesItsEndpointWithoutACsrfTokenAndIsCheckedThere() {
    web.withUserConfiguration(LockedDownHost.class).run(context -> {
      MockMvc mvc = mvc(context);
      mvc.perform(callback("not json", CALLBACK_SECRET)).andExpect(status().isBadRequest())
          .andExpect(content().json("{\"msg\":\"refused\"}"));
      mvc.perform(callback("{}", "forged")).andExpect(status().isUnauthorized())
          .andExpect(content().json("{\"msg\":\"refused\"}"));
      mvc.perform(get("/feishu/other/isv")).andExpect(status().isUnauthorized());
    });
  }

  @Test
  void aChainOfTheSameNameFromTheHostReplacesOurs() {
    web.withUserConfiguration(OwnEndpointChain.class).run(context ->
        mvc(context).perform(challenge()).andExpect(status().isForbidden()));
  }

  private static MockHttpServletRequestBuilder challenge() {
    var push = FeishuEventPushes.push(FeishuEventPushes.urlVerification("c-1", TOKEN), Optional.of(ENCRYPT_KEY),
        Instant.now());
    MockHttpServletRequestBuilder request = post("/feishu/events/isv").contentType(MediaType.APPLICATION_JSON)
        .content(push.bytes());
    push.headers().forEach(request::header);
    return request;
  }

  private static MockHttpServletRequestBuilder callback(String body, String secret) {
    return post("/feishu/callbacks/isv").contentType(MediaType.APPLICATION_JSON).content(body)
        .header("X-Callback-Secret", secret);
  }

  private static MockMvc mvc(WebApplicationContext context) {
    return MockMvcBuilders.webAppContextSetup(context)
        .addFilters(context.getBean("springSecurityFilterChain", Filter.class)).build();
  }
}
