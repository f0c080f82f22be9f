package com.example.escalation;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.ProcessWaits;
import io.github.feishuapproval.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application, its own job worker and the Feishu job workers of the starter side by side, on an embedded
 * Zeebe Process Test engine, against the test kit's Feishu over TLS: its certificate is signed by a throwaway CA that
 * the application trusts only as an operator would tell a JVM to, through the javax.net.ssl.trustStore properties.
 */
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EscalationApplicationTest {

  static final String TRUST_STORE_PASSWORD = "escalation-app-trust";

  static final ZeebeTestEngine ENGINE = startEngine();
  static final Path CERTIFICATES = throwawayCaTrustedByThisJvm();
  static final FeishuSimulator FEISHU = new FeishuSimulator().tls(serverSide(CERTIFICATES)).start();
  static final ProcessWaits WAITS = ProcessWaits.on(ENGINE);

  @Autowired CamundaClient camunda;
  @Autowired OperatorNotifications notifications;

  @DynamicPropertySource
  static void engineAndFeishu(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", () -> "http://" + ENGINE.getGatewayAddress());
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("camunda.client.auth.method", () -> "none");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.base-url", () -> FEISHU.baseUrl().toString());
  }

  @AfterAll
  static void stopEngineAndFeishu() throws IOException {
    ENGINE.stop();
    FEISHU.close();
    Stream.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType")
        .forEach(System::clearProperty);
    try (Stream<Path> files = Files.walk(CERTIFICATES)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @Test
  void feishuIsReachedOverTls() {
    assertThat(FEISHU.baseUrl().getScheme()).isEqualTo("https");
  }

  @Test
  void afterFortyEightHoursWithoutAReviewTheApprovalTaskIsRejectedInFeishu() {
    long instance = start("1785996267000001");
    WAITS.untilActivated(instance, "Review");

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("AutoRejected");
    assertThat(FEISHU).rejected("1785996267000001").byUser("1783981209205788").withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).noneMatch(n -> n.approvalTaskId().equals("1785996267000001"));
  }

  @Test
  void aRejectFeishuRefusesWith2320001GoesToTheOperatorThroughTheApplicationsOwnWorker() {
    FEISHU.script("1785996267000002", Fault.code(2320001));
    long instance = start("1785996267000002");
    WAITS.untilActivated(instance, "Review");

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(WAITS.untilEnded(instance).endEvent()).contains("OperatorNotified");
    assertThat(FEISHU).rejected("1785996267000002").withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).anySatisfy(notice -> {
      assertThat(notice.approvalTaskId()).isEqualTo("1785996267000002");
      assertThat(notice.feishuErrorCode()).isEqualTo(2320001);
      assertThat(notice.feishuLogId()).isNotBlank();
    });
  }

  private long start(String approvalTaskId) {
    return camunda.newCreateInstanceCommand().bpmnProcessId("escalation-app-review").latestVersion()
        .variables(Map.of("approvalTaskId", approvalTaskId, "userId", "1783981209205788")).send().join()
        .getProcessInstanceKey();
  }

  /** Set before the Spring context starts, as -Djavax.net.ssl.trustStore=... on an operator's command line would be. */
  private static Path throwawayCaTrustedByThisJvm() {
    try {
      Path dir = TestCertificates.createEcdsa(Files.createTempDirectory("escalation-app-tls"));
      Path trustStore = dir.resolve("trust.p12");
      TestCertificates.writeTrustStore(dir, trustStore, TRUST_STORE_PASSWORD.toCharArray());
      System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      return dir;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the throwaway CA could not be made", e);
    }
  }

  private static SSLSocketFactory serverSide(Path certificates) {
    try {
      return TestCertificates.serverContext(certificates).getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the simulator's certificate could not be loaded", e);
    }
  }

  private static ZeebeTestEngine startEngine() {
    ZeebeTestEngine engine = EngineFactory.create();
    engine.start();
    return engine;
  }
}
