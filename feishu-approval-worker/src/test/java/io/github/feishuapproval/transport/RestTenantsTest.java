package io.github.feishuapproval.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Camunda tenants as a multi-tenant cluster hands them out: the workers ask for the tenants configured as for
 * {@code @JobWorker} methods, and a named Feishu app serves the tenants it declares.
 */
class RestTenantsTest extends RestTransportSupport {

  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  private static final RestJobGateway GATEWAY = new RestJobGateway().start();

  @DynamicPropertySource
  static void wire(DynamicPropertyRegistry registry) {
    overRest(registry, GATEWAY, FEISHU);
    registry.add("camunda.client.worker.defaults.tenant-ids", () -> "acme,hr-cn");
    registry.add("feishu.apps.second.camunda-tenants", () -> "hr-cn");
  }

  @BeforeEach
  void everyJobTypeLongPolls() {
    FEISHU.reset();
    GATEWAY.awaitPolling(ALL_TYPES, WAIT);
  }

  @Test
  void jobsOfTheConfiguredTenantsAreTakenAndJobsOfOtherTenantsAreNot() {
    long foreign = GATEWAY.createJob("feishu-approval-reject", "globex", task("1785996265400001"), Map.of(), 3);
    long acme = GATEWAY.createJob("feishu-approval-reject", "acme", task("1785996265400002"), Map.of(), 3);
    long hr = GATEWAY.createJob("feishu-approval-reject", "hr-cn", task("1785996265400003"), Map.of(), 3);

    assertThat(GATEWAY.awaitCommand(acme, WAIT).kind()).isEqualTo("completion");
    assertThat(GATEWAY.awaitCommand(hr, WAIT).kind()).isEqualTo("completion");
    assertThat(GATEWAY.isActivatable(foreign)).isTrue();
    assertThat(GATEWAY.commandsFor(foreign)).isEmpty();
    assertThat(FEISHU.callsFor("1785996265400001")).isEmpty();
    assertThat(GATEWAY.activations()).isNotEmpty()
        .allSatisfy(a -> assertThat(a.tenantIds()).containsExactlyInAnyOrder("acme", "hr-cn"));
  }

  @Test
  void aJobOfATenantWithAnAppOfItsOwnActsAsThatAppAndOthersAsTheDefaultApp() {
    long hr = GATEWAY.createJob("feishu-approval-agree", "hr-cn", task("1785996265400011"), Map.of(), 3);
    long acme = GATEWAY.createJob("feishu-approval-agree", "acme", task("1785996265400012"), Map.of(), 3);
    GATEWAY.awaitCommand(hr, WAIT);
    GATEWAY.awaitCommand(acme, WAIT);

    assertThat(FEISHU.appIdOf(FEISHU.callsFor("1785996265400011").getFirst().authorization()))
        .isEqualTo(FeishuSimulator.SECOND_APP_ID);
    assertThat(FEISHU.appIdOf(FEISHU.callsFor("1785996265400012").getFirst().authorization()))
        .isEqualTo(FeishuSimulator.APP_ID);
  }

  @Test
  void theFeishuAppHeaderCannotActAsAnAppThatDoesNotServeTheJobsTenant() {
    long acme = GATEWAY.createJob("feishu-approval-agree", "acme", task("1785996265400021"),
        Map.of("feishuApp", "second"), 3);
    long hr = GATEWAY.createJob("feishu-approval-agree", "hr-cn", task("1785996265400022"),
        Map.of("feishuApp", "default"), 3);

    for (long job : new long[] {acme, hr}) {
      RestJobGateway.Command incident = GATEWAY.awaitCommand(job, WAIT);
      assertThat(incident.kind()).isEqualTo("failure");
      assertThat(incident.body().path("retries").asInt()).isZero();
      assertThat(incident.body().path("errorMessage").asText()).contains("may not use");
    }
    assertThat(FEISHU.callsFor("1785996265400021")).isEmpty();
    assertThat(FEISHU.callsFor("1785996265400022")).isEmpty();
  }

  private static Map<String, Object> task(String id) {
    return Map.of("approvalTaskId", id, "userId", "7");
  }
}
