package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.LongConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.SmartLifecycle;

/**
 * The apps' long connections, opened when the application starts (in the last phase) and closed when it stops, before
 * the Camunda client they publish with is closed.
 */
public final class FeishuLongConnections implements SmartLifecycle {

  private final List<LongConnection> connections;
  private volatile boolean running;

  FeishuLongConnections(List<LongConnection> connections) {
    this.connections = List.copyOf(connections);
  }

  /** Whether every app's long connection is open now. */
  public boolean allConnected() {
    return connections.stream().allMatch(LongConnection::connected);
  }

  /** For the health details: each app's connection, {@code connected} or {@code reconnecting}. */
  public Map<String, String> states() {
    Map<String, String> states = new LinkedHashMap<>();
    connections.forEach(c -> states.put(c.name(), c.connected() ? "connected" : "reconnecting"));
    return states;
  }

  @Override
  public void start() {
    connections.forEach(LongConnection::start);
    running = true;
  }

  /** Events in hand are not acknowledged: Feishu sends them again to another replica's connection. */
  @Override
  public void stop() {
    running = false;
    connections.forEach(LongConnection::close);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
