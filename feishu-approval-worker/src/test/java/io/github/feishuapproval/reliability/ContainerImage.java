package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image built by {@code ./mvnw -Pimage verify}, run without a container runtime: its layers unpacked into a
 * directory and its programs started there with chroot, as the image's user, the way a runtime would. Needs root
 * (chroot, mounting /proc).
 */
final class ContainerImage implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path work;
  private final Path root;
  private final JsonNode config;

  private ContainerImage(Path work, Path root, JsonNode config) {
    this.work = work;
    this.root = root;
    this.config = config;
  }

  static ContainerImage unpack(File tar) throws Exception {
    assertThat(tar).as("the image tarball; the image profile builds it before this test").isFile();
    assertThat(System.getProperty("user.name")).as("unpacking the image, chroot and mounting /proc need root")
        .isEqualTo("root");
    Path work = Files.createTempDirectory("image");
    Path root = Files.createDirectories(work.resolve("root"));
    run(work, "tar", "xf", tar.getAbsolutePath());
    JsonNode manifest = JSON.readTree(work.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) run(work, "tar", "xf", layer.asText(), "-C", root.toString());
    JsonNode config = JSON.readTree(work.resolve(manifest.get("Config").asText()).toFile()).get("config");
    Files.createDirectories(root.resolve("proc"));
    run(work, "mount", "-t", "proc", "proc", root.resolve("proc").toString());
    return new ContainerImage(work, root, config);
  }

  /** A path inside the image, seen from outside: to read its files or to place one as a runtime would mount it. */
  Path file(String pathInImage) {
    return root.resolve(pathInImage.substring(1));
  }

  String user() {
    return config.get("User").asText();
  }

  /** The image's environment, as a runtime sets it for the entrypoint. */
  Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    config.get("Env").forEach(e -> environment.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
    return environment;
  }

  /** The entrypoint followed by {@code arguments}, started inside the image as its user. */
  ProcessBuilder entrypoint(List<String> arguments) {
    List<String> command = new ArrayList<>();
    config.get("Entrypoint").forEach(part -> command.add(part.asText()));
    command.addAll(arguments);
    return inside(command);
  }

  /** {@code command} started inside the image as its user, with only the image's environment. */
  ProcessBuilder inside(List<String> command) {
    List<String> chrooted = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=" + user(), root.toString()));
    // chroot looks the program up on the host's PATH, not the image's
    chrooted.add(command.get(0).equals("java") ? "/opt/java/bin/java" : command.get(0));
    chrooted.addAll(command.subList(1, command.size()));
    ProcessBuilder builder = new ProcessBuilder(chrooted).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment());
    return builder;
  }

  /** What {@code command} prints, run inside the image as its user. */
  String output(String... command) throws Exception {
    Process process = inside(List.of(command)).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + " in the image: " + output).isZero();
    return output;
  }

  /** The octal mode (with setuid, setgid and sticky bits) of a path inside the image. */
  String mode(String pathInImage) throws Exception {
    Process process = new ProcessBuilder("stat", "-c", "%a", file(pathInImage).toString()).start();
    String mode = new String(process.getInputStream().readAllBytes()).strip();
    assertThat(process.waitFor()).isZero();
    return mode;
  }

  Path work() {
    return work;
  }

  @Override
  public void close() throws Exception {
    run(work, "umount", root.resolve("proc").toString());
    run(work, "rm", "-rf", work.toString());
  }

  private static void run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
