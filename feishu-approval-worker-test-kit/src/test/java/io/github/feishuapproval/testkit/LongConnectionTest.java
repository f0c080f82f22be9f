package io.github.feishuapproval.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.feishu.LongConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The worker's long-connection client against the simulated Feishu: connect, ping, events in, acknowledgements out. */
class LongConnectionTest {

  private static final String WRONG_SECRET = "wrong-secret-OCELOT-2f7b9e";
  private final FeishuSimulator feishu = new FeishuSimulator().start();
  private final SimulatedLongConnections connections = feishu.longConnections();
  private final List<String> handled = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;
  private LongConnection client;

  @BeforeEach
  void quickSettings() {
    connections.clientConfig(1, 1, 0);
  }

  @AfterEach
  void close() {
    detach.forEach(Runnable::run);
    if (client != null) client.close();
    feishu.close();
  }

  @Test
  void itConnectsPingsWithTheServiceOfItsUrlAndAcknowledgesAnEventWithTheHandlersCode() throws Exception {
    client = open(FeishuSimulator.APP_SECRET);
    await(() -> connections.openConnections(FeishuSimulator.APP_ID) == 1);

    assertThat(connections.send(FeishuSimulator.APP_ID, "{\"uuid\":\"ev-1\"}")).isEqualTo(200);
    answer = 500;
    assertThat(connections.send(FeishuSimulator.APP_ID, "{\"uuid\":\"ev-2\"}")).isEqualTo(500);

    assertThat(handled).containsExactly("{\"uuid\":\"ev-1\"}", "{\"uuid\":\"ev-2\"}");
    await(() -> !connections.pings().isEmpty());
    assertThat(connections.pings()).allSatisfy(ping ->
        assertThat(ping.service()).isEqualTo(SimulatedLongConnections.SERVICE_ID));
  }

  @Test
  void aPongWithAShorterPingIntervalMakesThePingsComeThatOften() throws Exception {
    connections.clientConfig(120, 1, 0);
    connections.pongPingInterval(1);

    client = open(FeishuSimulator.APP_SECRET);

    // the endpoint said 120 s: more pings within the wait come only from the pong's settings
    await(() -> connections.pings().size() >= 3);
  }

  @Test
  void anEventSentInPartsReachesTheHandlerWhole() throws Exception {
    client = open(FeishuSimulator.APP_SECRET);
    await(() -> connections.openConnections(FeishuSimulator.APP_ID) == 1);
    connections.splitOver(16);
    String event = "{\"uuid\":\"ev-split\",\"event\":{\"instance_code\":\"审批-" + "x".repeat(100) + "\"}}";

    assertThat(connections.send(FeishuSimulator.APP_ID, event)).isEqualTo(200);

    assertThat(handled).containsExactly(event);
  }

  @Test
  void itReconnectsAfterFeishuDropsTheSocketAndStopsForGoodWhenClosed() throws Exception {
    ListAppender<ILoggingEvent> log = capture();
    client = open(FeishuSimulator.APP_SECRET);
    await(() -> connections.openConnections(FeishuSimulator.APP_ID) == 1);

    connections.dropConnections(FeishuSimulator.APP_ID);
    await(() -> connections.endpointRequests() == 2 && connections.openConnections(FeishuSimulator.APP_ID) == 1);
    assertThat(connections.send(FeishuSimulator.APP_ID, "{\"uuid\":\"after-drop\"}")).isEqualTo(200);

    client.close();
    await(() -> connections.openConnections(FeishuSimulator.APP_ID) == 0);
    Thread.sleep(2_500); // more than the reconnect interval of 1 s: a reconnect would have come
    assertThat(connections.endpointRequests()).isEqualTo(2);
    assertThat(client.connected()).isFalse();
    // the WebSocket URL's query carries the connection's ticket: host and path only
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).endsWith(
        SimulatedLongConnections.SOCKET_PATH));
    assertThat(log.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("ticket="));
  }

  @Test
  void aRefusedEndpointRequestIsLoggedWithoutTheSecret() throws Exception {
    ListAppender<ILoggingEvent> log = capture();
    client = open(WRONG_SECRET);
    await(() -> log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("refused")));

    assertThat(connections.openConnections(FeishuSimulator.APP_ID)).isZero();
    assertThat(log.list).allSatisfy(event -> {
      assertThat(event.getFormattedMessage()).doesNotContain(WRONG_SECRET);
      if (event.getThrowableProxy() != null) {
        assertThat(event.getThrowableProxy().getMessage()).doesNotContain(WRONG_SECRET);
      }
    });
    assertThat(log.list).anySatisfy(event ->
        assertThat(event.getFormattedMessage()).contains("code " + SimulatedLongConnections.REFUSED));
  }

  private final List<Runnable> detach = new CopyOnWriteArrayList<>();

  /** What the long connection logs from now on, until the test ends. */
  private ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(LongConnection.class);
    logger.addAppender(log);
    detach.add(() -> logger.detachAppender(log));
    return log;
  }

  private LongConnection open(String secret) {
    FeishuSettings app = new FeishuSettings(feishu.baseUrl(), FeishuSimulator.APP_ID, secret, Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5), 4, Duration.ofSeconds(1), 0, Duration.ofMinutes(1),
        Duration.ZERO, Duration.ofSeconds(1));
    LongConnection connection = new LongConnection("default", app, json -> {
      handled.add(new String(json, StandardCharsets.UTF_8));
      return answer;
    });
    connection.start();
    return connection;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int waited = 0; !condition.getAsBoolean(); waited++) {
      assertThat(waited).as("waited 10 s for the condition").isLessThan(500);
      Thread.sleep(20);
    }
  }
}
