package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the image built by {@code ./mvnw -Pimage verify} without a container runtime: its layers are unpacked into a
 * directory and its entrypoint started there with chroot, as its non-root user, the way a runtime would. Needs root
 * (chroot, mounting /proc); skipped when the image was not built.
 */
class ContainerImageIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void imageStartsTheWorkerAsANonRootUserAndAnswersTheProbes() throws Exception {
    File tar = new File("target/feishu-approval-worker-image.tar");
    assumeTrue(tar.isFile(), "the image is built only with -Pimage");
    assumeTrue("root".equals(System.getProperty("user.name")), "unpacking and chroot need root");
    Path work = Files.createTempDirectory("image");
    Path root = Files.createDirectories(work.resolve("root"));
    run(work, "tar", "xf", tar.getAbsolutePath());
    JsonNode manifest = JSON.readTree(work.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) run(work, "tar", "xzf", layer.asText(), "-C", root.toString());
    JsonNode config = JSON.readTree(work.resolve(manifest.get("Config").asText()).toFile()).get("config");
    assertThat(config.get("User").asText()).isEqualTo("1000:1000");

    Files.createDirectories(root.resolve("proc"));
    run(work, "mount", "-t", "proc", "proc", root.resolve("proc").toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=" + config.get("User").asText(),
        root.toString()));
    config.get("Entrypoint").forEach(part -> command.add(part.asText().equals("java") ? "/opt/java/bin/java" : part.asText()));
    command.addAll(List.of("--management.server.port=" + port, "--server.port=0",
        "--camunda.client.grpc-address=http://127.0.0.1:1",
        "--camunda.client.prefer-rest-over-grpc=false",
        // the details are for authorized callers by default; this check reads them as an operator who opts in
        "--management.endpoint.health.show-details=always"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("worker.log").toFile());
    builder.environment().clear();
    config.get("Env").forEach(e -> builder.environment().put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
    builder.environment().put("FEISHU_APP_ID", "cli_image_check");
    builder.environment().put("FEISHU_APP_SECRET", "image-check-secret");
    Process worker = builder.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> liveness = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline && worker.isAlive()) {
        try {
          liveness = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
              .build(), HttpResponse.BodyHandlers.ofString());
          break;
        } catch (java.io.IOException notYet) {
          Thread.sleep(500);
        }
      }
      assertThat(liveness).as(Files.readString(work.resolve("worker.log"))).isNotNull();
      assertThat(liveness.statusCode()).isEqualTo(200);
      HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(readiness.body()).contains("\"feishu\"", "\"camundaClient\"");
    } finally {
      worker.destroy();
      worker.waitFor();
      run(work, "umount", root.resolve("proc").toString());
      run(work, "rm", "-rf", work.toString());
    }
  }

  private static void run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
