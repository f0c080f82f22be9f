package io.github.feishuapproval.benchmark;

import io.github.feishuapproval.testsupport.ThisJava;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker in a JVM of its own, seen from the benchmark: started, watched (heap, RSS) and stopped. Our worker runs
 * from the executable jar exactly as shipped; the reference workers run as {@link WorkerProcess}.
 */
final class ChildWorker implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final long spawnedAt;
  private final int actuatorPort;
  private volatile boolean ready;
  private volatile long reportedHeap;
  private volatile long maxRss;

  private ChildWorker(String name, Process process, long spawnedAt, int actuatorPort) {
    this.name = name;
    this.process = process;
    this.spawnedAt = spawnedAt;
    this.actuatorPort = actuatorPort;
  }

  /**
   * Runs {@code java -jar jar}, as an operator would, under {@code timeout} so that it cannot
   * outlive the benchmark. Heap is read from the worker's own Prometheus endpoint on {@code actuatorPort}.
   */
  static ChildWorker fromJar(String name, Path jar, List<String> jvmOptions, List<String> args, int actuatorPort,
      Path logDir) throws IOException {
    return fromJar(name, jar, jvmOptions, args, actuatorPort, 0, logDir);
  }

  /** As above, with the port of the event and callback endpoints ({@code 0}: any free one). */
  static ChildWorker fromJar(String name, Path jar, List<String> jvmOptions, List<String> args, int actuatorPort,
      int serverPort, Path logDir) throws IOException {
    List<String> command = new ArrayList<>(List.of("timeout", Long.toString(WorkerProcess.LIFETIME_MILLIS / 1000),
        java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    command.add("--management.server.port=" + actuatorPort);
    command.add("--server.port=" + serverPort);
    return start(name, command, actuatorPort, logDir);
  }

  /** Runs {@link WorkerProcess} {@code mode} with the benchmark's own class path and no JVM options. */
  static ChildWorker reference(String name, String mode, List<String> args, Path logDir) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
        WorkerProcess.class.getName(), mode));
    command.addAll(args);
    return start(name, command, 0, logDir);
  }

  private static ChildWorker start(String name, List<String> command, int actuatorPort, Path logDir)
      throws IOException {
    Files.createDirectories(logDir);
    long spawnedAt = System.currentTimeMillis();
    ChildWorker child = new ChildWorker(name, new ProcessBuilder(command).start(), spawnedAt, actuatorPort);
    Process process = child.process;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }));
    PrintWriter log = new PrintWriter(Files.newBufferedWriter(logDir.resolve(name + ".log")), true);
    child.follow(child.process.getInputStream(), line -> {
      log.println(line);
      if (line.contains(" Started ")) child.ready = true;
    });
    child.follow(child.process.getErrorStream(), child::report);
    return child;
  }

  private static String java() {
    return ThisJava.executable();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The worker's process; under {@code timeout} the JVM is its child, so callers take the descendants too. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  String name() {
    return name;
  }

  long spawnedAt() {
    return spawnedAt;
  }

  /** Waits until the worker's application has started and its job workers are open. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready) {
      if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue());
      if (System.nanoTime() > deadline) throw new IllegalStateException(name + " did not start within " + timeout);
      Thread.sleep(20);
    }
  }

  /** The heap in use now, as the worker itself reports it. */
  long heapUsedBytes() {
    if (actuatorPort == 0) return reportedHeap;
    try {
      HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + actuatorPort + "/actuator/prometheus")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      return (long) metrics.body().lines()
          .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The worker JVM's resident set now (VmRSS from {@code /proc}). */
  long rssBytes() {
    ProcessHandle jvm = actuatorPort == 0 ? process.toHandle()
        : process.toHandle().children().findFirst().orElse(process.toHandle());
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          long rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          maxRss = Math.max(maxRss, rss);
          return rss;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  long maxRssBytes() {
    return maxRss;
  }

  private void report(String line) {
    if (line.startsWith("heap ")) {
      reportedHeap = Long.parseLong(line.split(" ")[1]);
      rssBytes();
    } else if (line.startsWith("ready ")) {
      ready = true;
    } else if (!line.startsWith("WARNING: ")) {
      System.out.println("   [" + name + "] " + line);
    }
  }

  private void follow(InputStream stream, Consumer<String> onLine) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) onLine.accept(line);
      } catch (IOException | RuntimeException e) {
        // the process has gone
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Ends the worker at once, as a crashed replica ends: nothing it holds is finished or handed back. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Asks the worker to stop (stdin closed, then SIGTERM: a graceful shutdown), and ends it if it has not in time. */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
