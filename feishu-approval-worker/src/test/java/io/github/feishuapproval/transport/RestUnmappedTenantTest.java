package io.github.feishuapproval.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code camunda.client.tenant-id} alone makes the workers ask for that tenant, as it does for {@code @JobWorker}. */
class RestUnmappedTenantTest extends RestTransportSupport {

  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  private static final RestJobGateway GATEWAY = new RestJobGateway().start();

  @DynamicPropertySource
  static void wire(DynamicPropertyRegistry registry) {
    overRest(registry, GATEWAY, FEISHU);
    registry.add("camunda.client.tenant-id", () -> "acme");
    registry.add("feishu.unmapped-tenants", () -> "incident");
  }

  @Test
  void theClientsTenantIsAskedForAndAJobOfATenantWithoutAnAppIsAnIncidentWithoutACall() {
    GATEWAY.awaitPolling(ALL_TYPES, WAIT);
    long job = GATEWAY.createJob("feishu-approval-reject", "acme",
        Map.of("approvalTaskId", "1785996265400101", "userId", "7"), Map.of(), 3);

    RestJobGateway.Command incident = GATEWAY.awaitCommand(job, WAIT);

    assertThat(incident.kind()).isEqualTo("failure");
    assertThat(incident.body().path("retries").asInt()).isZero();
    assertThat(incident.body().path("errorMessage").asText())
        .contains("no Feishu app serves the Camunda tenant 'acme'", "Nothing was sent to Feishu");
    assertThat(FEISHU.apiCalls()).isZero();
    assertThat(GATEWAY.activations()).isNotEmpty().allSatisfy(a -> assertThat(a.tenantIds()).containsExactly("acme"));
  }
}
