package io.github.feishuapproval.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} ({@link RedisBinary}: the machine's or the bundled one) on a free loopback port, with no
 * persistence, started and stopped by the tests; optionally with a password and TLS. It can be stopped and started
 * again on the same port, as an outage and a recovery look to a client.
 */
public final class RedisServer implements AutoCloseable {

  private final Path binary;
  private final int port;
  private final String password;
  private final Path tlsDir;
  private final Path workDir;
  private Process process;

  private RedisServer(Path binary, String password, boolean tls) {
    this.binary = binary;
    this.port = freePort();
    this.password = password;
    try {
      this.workDir = Files.createTempDirectory("feishu-redis-");
      this.tlsDir = tls ? TestCertificates.create(workDir.resolve("tls")) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RedisServer start() {
    return start(null, false);
  }

  /** @param password required of clients when not null; {@code tls} serves TLS only, with a certificate of its own */
  public static RedisServer start(String password, boolean tls) {
    return start(RedisBinary.locate(), password, tls);
  }

  /** As {@link #start(String, boolean)}, with this binary. */
  public static RedisServer start(Path binary, String password, boolean tls) {
    RedisServer server = new RedisServer(binary, password, tls);
    server.startAgain();
    return server;
  }

  /** Starts the server (again) on its port, with nothing in it. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) return;
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", workDir.toString(), "--protected-mode", "no"));
    if (tlsDir == null) {
      command.addAll(List.of("--port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
          "--tls-cert-file", tlsDir.resolve("server.pem").toString(),
          "--tls-key-file", tlsDir.resolve("server.key").toString(),
          "--tls-ca-cert-file", tlsDir.resolve("ca.pem").toString(),
          "--tls-auth-clients", "no"));
    }
    if (password != null) command.addAll(List.of("--requirepass", password));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(workDir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binary, e);
    }
    awaitListening();
  }

  /** Stops the server abruptly, as a crashed or unreachable Redis looks to its clients. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int port() {
    return port;
  }

  /** What {@code spring.data.redis.url} is set to for this server. */
  public String url() {
    return (tlsDir == null ? "redis://" : "rediss://") + (password == null ? "" : ":" + password + "@") + "127.0.0.1:"
        + port;
  }

  /** The CA certificate that signed the server's certificate, for a client's trust store. */
  public Path caCertificate() {
    return tlsDir.resolve("ca.pem");
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) break;
        sleep(20);
      }
    }
    throw new IllegalStateException(binary + " did not listen on " + port + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(workDir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    stop();
  }
}
