package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.ProcessWaits;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.TestCertificates;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image the image profile builds (named by {@code image.tar}), run as a container runtime would run it (see
 * {@link ContainerImage}): its runtime, its file system, and the worker in it taking a job through Feishu over TLS.
 */
class ContainerImageIT {

  private static final String TRUST_STORE = "/etc/feishu-test-ca.p12";
  private static final String TRUST_STORE_PASSWORD = "test-ca-store";

  private static ContainerImage image;

  @BeforeAll
  static void unpackImage() throws Exception {
    image = ContainerImage.unpack(new File(System.getProperty("image.tar",
        "feishu-approval-worker/target/feishu-approval-worker-image.tar")));
  }

  @AfterAll
  static void removeImage() throws Exception {
    if (image != null) image.close();
  }

  @Test
  void tmpIsWritableByEveryoneWithTheStickyBitSoNoUserRemovesAnothersFiles() throws Exception {
    assertThat(image.mode("/tmp")).isEqualTo("1777");
  }

  @Test
  void imageRecordsTheExactJdkItsRuntimeWasCutFrom() throws Exception {
    String release = Files.readString(image.file("/opt/java/release"));
    String recorded = release.lines().filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).findFirst()
        .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).orElse("none");
    assertThat(release).as("/opt/java/release").contains("IMPLEMENTOR=");
    String settings = image.output("java", "-XshowSettings:properties", "-version");
    assertThat(settings).contains("java.runtime.version = " + recorded + "\n");
  }

  @Test
  void workerInTheImageRunsAsNonRootAnswersTheProbesAndTakesAJobThroughFeishuOverEllipticCurveTls() throws Exception {
    assertThat(image.user()).isEqualTo("1000:1000");
    Path certificates = TestCertificates.createEcdsa(image.work().resolve("tls"));
    TestCertificates.writeTrustStore(certificates, image.file(TRUST_STORE), TRUST_STORE_PASSWORD.toCharArray());
    FeishuSimulator tlsFeishu = new FeishuSimulator()
        .tls(new EllipticCurveOnlyTls(TestCertificates.serverContext(certificates)));
    try (JarTestBed bed = JarTestBed.start(tlsFeishu)) {
      assertThat(bed.feishu().baseUrl().getScheme()).isEqualTo("https");
      int managementPort = freePort();
      ProcessBuilder builder = image.entrypoint(List.of("--management.server.port=" + managementPort,
          "--server.port=0", "--camunda.client.grpc-address=" + bed.grpcAddress(),
          "--camunda.client.prefer-rest-over-grpc=false",
          // the details are for authorized callers by default; this check reads them as an operator who opts in
          "--management.endpoint.health.show-details=always"));
      Path log = image.work().resolve("worker.log");
      builder.redirectOutput(log.toFile());
      builder.environment().putAll(Map.of(
          "FEISHU_APP_ID", FeishuSimulator.APP_ID,
          "FEISHU_APP_SECRET", FeishuSimulator.APP_SECRET,
          "FEISHU_BASE_URL", bed.feishu().baseUrl().toString(),
          // the operator's way to trust a private CA: a mounted trust store named to the JVM
          "JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + TRUST_STORE
              + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD
              + " -Djavax.net.ssl.trustStoreType=PKCS12"));
      Process worker = builder.start();
      try {
        HttpResponse<String> liveness = awaitLiveness(managementPort, worker);
        assertThat(liveness).as(Files.readString(log)).isNotNull();
        assertThat(liveness.statusCode()).as(liveness.body() + "\n" + Files.readString(log)).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/health/readiness").body()).contains("\"feishu\"", "\"camundaClient\"");

        long instance = bed.client().newCreateInstanceCommand().bpmnProcessId("feishu-approval-reject-example")
            .latestVersion().variables(Map.of("approvalTaskId", "1785996265500001", "userId", "1783981209205788"))
            .send().join().getProcessInstanceKey();
        assertThat(endingOf(bed, instance, log).endEvent()).as(Files.readString(log)).contains("TaskRejected");
        assertThat(bed.feishu().callsFor("1785996265500001")).hasSize(1);
        assertThat(bed.feishu().tokenFetches()).isEqualTo(1);
      } finally {
        worker.destroy();
        worker.waitFor();
      }
    }
  }

  private static ProcessWaits.Ending endingOf(JarTestBed bed, long instance, Path log) throws Exception {
    try {
      return bed.probe().awaitEnding(instance);
    } catch (AssertionError notEnded) {
      throw new AssertionError(notEnded.getMessage() + "; the worker printed:\n" + Files.readString(log), notEnded);
    }
  }

  /** The liveness answer once it is up (it is DOWN until the application has started), or the last one. */
  private static HttpResponse<String> awaitLiveness(int port, Process worker) throws Exception {
    HttpResponse<String> liveness = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && worker.isAlive() && (liveness == null || liveness.statusCode() != 200)) {
      try {
        liveness = get(port, "/actuator/health/liveness");
      } catch (java.io.IOException notYet) {
        // the management port is not open yet
      }
      if (liveness == null || liveness.statusCode() != 200) Thread.sleep(500);
    }
    return liveness;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
