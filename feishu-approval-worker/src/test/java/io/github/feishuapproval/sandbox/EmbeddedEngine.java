package io.github.feishuapproval.sandbox;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.io.IOException;
import java.net.ServerSocket;

/** Zeebe Process Test's in-memory engine, one per JVM, speaking gRPC on a free loopback port. */
public final class EmbeddedEngine {

  private static ZeebeTestEngine engine;

  private EmbeddedEngine() {}

  public static synchronized ZeebeTestEngine shared() {
    if (engine == null) {
      engine = EngineLogGuard.guard(EngineFactory.create(freePort()));
      engine.start();
    }
    return engine;
  }

  /** The address for {@code camunda.client.grpc-address}. */
  public static String grpcAddress() {
    String address = shared().getGatewayAddress();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return "http://127.0.0.1:" + port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the embedded engine", e);
    }
  }
}
