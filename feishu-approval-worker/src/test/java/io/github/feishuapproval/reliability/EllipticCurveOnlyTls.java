package io.github.feishuapproval.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The server side of TLS that agrees only on X25519 key exchange and ECDSA P-256 signatures: a client whose runtime
 * lacks elliptic-curve cryptography cannot finish the handshake.
 */
final class EllipticCurveOnlyTls extends SSLSocketFactory {

  private final SSLSocketFactory sockets;

  EllipticCurveOnlyTls(SSLContext context) {
    this.sockets = context.getSocketFactory();
  }

  @Override
  public Socket createSocket(Socket raw, String host, int port, boolean autoClose) throws IOException {
    return restrict(sockets.createSocket(raw, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return restrict(sockets.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return restrict(sockets.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return restrict(sockets.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return restrict(sockets.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return sockets.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return sockets.getSupportedCipherSuites();
  }

  private static Socket restrict(Socket socket) {
    SSLSocket tls = (SSLSocket) socket;
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setNamedGroups(new String[] {"x25519"});
    parameters.setSignatureSchemes(new String[] {"ecdsa_secp256r1_sha256"});
    tls.setSSLParameters(parameters);
    return tls;
  }
}
