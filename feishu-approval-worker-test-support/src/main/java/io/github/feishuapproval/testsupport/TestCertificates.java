package io.github.feishuapproval.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A throwaway CA and a server certificate for 127.0.0.1, made with the machine's openssl for TLS tests. */
public final class TestCertificates {

  private TestCertificates() {}

  /** Writes ca.pem, server.pem and server.key (RSA) into {@code dir} and returns it. */
  static Path create(Path dir) throws IOException {
    return create(dir, List.of("rsa:2048"));
  }

  /**
   * Writes ca.pem, server.pem and server.key into {@code dir}, every key on curve P-256 and every signature ECDSA: a
   * client can verify the server only if its runtime has elliptic-curve cryptography.
   */
  public static Path createEcdsa(Path dir) throws IOException {
    return create(dir, List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
  }

  /** The server side of TLS for the certificate and key (PKCS#8, as openssl 3 writes it) in {@code dir}. */
  public static SSLContext serverContext(Path dir) throws IOException, GeneralSecurityException {
    String pem = Files.readString(dir.resolve("server.key"));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    Certificate certificate = certificate(dir.resolve("server.pem"));
    PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], new Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** Writes a PKCS12 trust store holding only the CA in {@code dir}, for a JVM's javax.net.ssl.trustStore. */
  public static void writeTrustStore(Path dir, Path target, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("test-ca", certificate(dir.resolve("ca.pem")));
    try (OutputStream out = Files.newOutputStream(target)) {
      store.store(out, password);
    }
  }

  private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static Path create(Path dir, List<String> key) throws IOException {
    Files.createDirectories(dir);
    run(dir, request(key, "/CN=test CA", "ca.key", "-x509", "-days", "2", "-out", "ca.pem"));
    run(dir, request(key, "/CN=127.0.0.1", "server.key", "-out", "server.csr"));
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(dir, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem"));
    return dir;
  }

  private static List<String> request(List<String> key, String subject, String keyOut, String... rest) {
    List<String> command = new ArrayList<>(List.of("openssl", "req", "-newkey"));
    command.addAll(key);
    command.addAll(List.of("-nodes", "-subj", subject, "-keyout", keyOut));
    command.addAll(List.of(rest));
    return command;
  }

  private static void run(Path dir, List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
