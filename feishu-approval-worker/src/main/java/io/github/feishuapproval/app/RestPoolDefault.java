package io.github.feishuapproval.app;

import io.github.feishuapproval.config.CamundaTransport;
import io.github.feishuapproval.worker.JobOperations;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sizes the Camunda client's REST connection pool for this worker when nobody else did: a connection for each job
 * type's long poll and one for each job in flight, so that no job command waits behind a poll. Any value set in
 * configuration, the environment or the command line takes precedence.
 */
public final class RestPoolDefault implements EnvironmentPostProcessor {

  static final String PROPERTY = "camunda.client.max-http-connections";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    int maxInFlight = Binder.get(environment).bind("feishu.worker.max-in-flight", Integer.class).orElse(256);
    int needed = CamundaTransport.connectionsNeeded(JobOperations.ALL.size(), maxInFlight);
    environment.getPropertySources().addLast(new MapPropertySource("feishuRestPoolDefault", Map.of(PROPERTY, needed)));
  }
}
