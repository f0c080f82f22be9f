package io.github.feishuapproval.reliability;

import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.ThisJava;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built jar, started the way an operator starts it: {@code java -jar}, credentials in the environment, in a JVM
 * of its own. Everything it prints on stdout and stderr is kept.
 */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path output;

  private WorkerProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the jar against {@code grpcAddress} and {@code feishu}, with extra {@code --name=value} arguments. */
  static WorkerProcess start(String grpcAddress, FeishuSimulator feishu, String... extraArguments) {
    List<String> arguments = new ArrayList<>(List.of("--camunda.client.grpc-address=" + grpcAddress,
        "--camunda.client.prefer-rest-over-grpc=false"));
    arguments.addAll(List.of(extraArguments));
    return startWith(feishu, arguments);
  }

  /** Starts the jar with exactly these Camunda settings, as a user copies them from the README. */
  static WorkerProcess startWith(FeishuSimulator feishu, List<String> camundaArguments) {
    List<String> command = new ArrayList<>(List.of(
        ThisJava.executable(), "-jar", jar().toString()));
    // free ports unless the caller names one: a property given twice would bind as "0,1234"
    for (String port : List.of("--server.port=", "--management.server.port=")) {
      if (camundaArguments.stream().noneMatch(a -> a.startsWith(port))) command.add(port + "0");
    }
    command.addAll(camundaArguments);
    Path output = outputFile();
    // a file, not a pipe: Process.destroy() closes the pipes, and the worker still logs while it shuts down
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("FEISHU_APP_ID", FeishuSimulator.APP_ID);
    builder.environment().put("FEISHU_APP_SECRET", FeishuSimulator.APP_SECRET);
    builder.environment().put("FEISHU_BASE_URL", feishu.baseUrl().toString());
    try {
      return new WorkerProcess(builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /** The jar the build packaged: {@code worker.jar} when the build passes it, else the one in {@code target/}. */
  static Path jar() {
    String configured = System.getProperty("worker.jar");
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("feishu-approval-worker-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no worker jar in target/: run ./mvnw package first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path outputFile() {
    try {
      Files.createDirectories(Path.of("target"));
      return Files.createTempFile(Path.of("target"), "worker-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the worker has printed {@code text}. */
  void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the worker did not print \"" + text + "\" within " + timeout + "; it printed:\n"
            + tail());
      }
      if (!process.isAlive() && !output().contains(text)) {
        throw new AssertionError("the worker exited with " + process.exitValue() + " before printing \"" + text
            + "\"; it printed:\n" + tail());
      }
      sleep(50);
    }
  }

  /** What a container runtime or systemd sends to stop a service. */
  void sigterm() {
    process.destroy();
  }

  /** The exit code, once the process has ended and all its output is read. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the worker was still running " + timeout + " later; it printed:\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String tail() {
    String all = output();
    return all.length() > 6000 ? "..." + all.substring(all.length() - 6000) : all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
