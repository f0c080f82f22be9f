package io.github.feishuapproval.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The redis-server that embedded-redis carries, so that the fallback works wherever the machine has its own too. */
class RedisServerTest {

  @Test
  void theBundledServerAnswersOnItsPortAndComesBackOnTheSamePortAfterAStop() throws Exception {
    try (RedisServer redis = RedisServer.start(RedisBinary.bundled(), null, false)) {
      assertThat(plain(redis, "PING")).isEqualTo("+PONG");

      redis.stop();
      assertThatThrownBy(() -> plain(redis, "PING")).isInstanceOf(IOException.class);

      redis.startAgain();
      assertThat(plain(redis, "PING")).isEqualTo("+PONG");
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
    }
  }

  @Test
  void theBundledServerServesTlsOnlyAndAsksForThePassword() throws Exception {
    try (RedisServer redis = RedisServer.start(RedisBinary.bundled(), "test-password", true)) {
      assertThat(overTls(redis, "PING")).startsWith("-NOAUTH");
      assertThat(overTls(redis, "AUTH", "wrong-password")).startsWith("-WRONGPASS");
      assertThat(overTls(redis, "AUTH", "test-password")).isEqualTo("+OK");
      assertThatThrownBy(() -> plain(redis, "PING")).isInstanceOf(IOException.class);
      assertThat(redis.url()).isEqualTo("rediss://:test-password@127.0.0.1:" + redis.port());
    }
  }

  /** Sends one command without TLS and returns the first line of the answer. */
  private static String plain(RedisServer redis, String... command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", redis.port()), 2000);
      socket.setSoTimeout(2000);
      return exchange(socket, command);
    }
  }

  private static String overTls(RedisServer redis, String... command) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(redis.caCertificate())) {
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    try (Socket socket = tls.getSocketFactory().createSocket("127.0.0.1", redis.port())) {
      socket.setSoTimeout(2000);
      return exchange(socket, command);
    }
  }

  private static String exchange(Socket socket, String... command) throws IOException {
    StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
    for (String part : command) request.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (line == null) throw new IOException("closed without an answer");
    return line;
  }
}
