package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.feishu.LocalSeenEvents;
import io.github.feishuapproval.feishu.LongConnection;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import io.github.feishuapproval.worker.ApprovalEventDelivery;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import io.github.feishuapproval.worker.FlowCallbackMessages;
import io.github.feishuapproval.worker.LongConnectionEvents;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approval events over Feishu's long connection reach Camunda once: acknowledged only after Camunda took the message,
 * sent again by Feishu when not, and handled by exactly one of the replicas' connections, also when one of them goes
 * away with an event in hand.
 */
class ApprovalEventLongConnectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final EngineOutage gateway = open(new EngineOutage());
  private final FeishuSimulator feishu = open(new FeishuSimulator().start());
  private final SimulatedApprovalEvents events = feishu.approvalEvents();

  @BeforeEach
  void eventsGoOverTheLongConnection() {
    events.target(FeishuSimulator.APP_ID, SimulatedApprovalEvents.Target.longConnection(""));
    events.retryDelays(Collections.nCopies(240, Duration.ofMillis(250)).toArray(Duration[]::new));
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) closeable.close();
  }

  @Test
  void anEventIsPublishedOnceAndItsRepeatIsAcknowledgedWithoutPublishingAgain() throws Exception {
    ZeebeTestEngine engine = gateway.start();
    open(gateway.worker(feishu, "--feishu.events-delivery=long-connection"));
    await(() -> feishu.longConnections().openConnections(FeishuSimulator.APP_ID) == 1);
    long instance = gateway.waitingInstance("long-connection-once", "create-once");

    String eventId = push("IC-ONCE", "create-once");
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Approved");
    events.pushAgain(eventId);
    assertThat(events.awaitSettled(Duration.ofSeconds(30))).isTrue();

    assertThat(events.delivery(eventId).answers()).containsExactly(200, 200);
    assertThat(gateway.published(eventId)).isEqualTo(1);
  }

  @Test
  void anEventSentWhileTheGatewayIsAwayIsRefusedAndPublishedOnceWhenFeishuSendsItAgain() throws Exception {
    open(gateway.worker(feishu, "--feishu.events-delivery=long-connection"));
    await(() -> feishu.longConnections().openConnections(FeishuSimulator.APP_ID) == 1);

    String eventId = push("IC-OUT", "create-outage");
    await(() -> !events.delivery(eventId).answers().isEmpty());
    assertThat(events.delivery(eventId).answers().getFirst()).isEqualTo(LongConnectionEvents.SEND_AGAIN);

    ZeebeTestEngine engine = gateway.start();
    long instance = gateway.waitingInstance("long-connection-outage", "create-outage");
    assertThat(events.awaitSettled(Duration.ofSeconds(60))).isTrue();

    assertThat(events.delivery(eventId).acknowledged()).isTrue();
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Approved");
    assertThat(gateway.published(eventId)).isEqualTo(1);
  }

  @Test
  void twoReplicasBothConnectedHandleEachEventOnceBetweenThem() throws Exception {
    gateway.start();
    Map<String, Set<String>> handledBy = new ConcurrentHashMap<>();
    replica("a", handledBy, null);
    replica("b", handledBy, null);
    await(() -> feishu.longConnections().openConnections(FeishuSimulator.APP_ID) == 2);

    List<String> eventIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) eventIds.add(push("IC-TWO-" + i, "create-two-" + i));
    assertThat(events.awaitSettled(Duration.ofSeconds(60))).isTrue();

    assertThat(handledBy.keySet()).containsExactlyInAnyOrder("a", "b");
    Set<String> both = new HashSet<>(handledBy.get("a"));
    both.retainAll(handledBy.get("b"));
    assertThat(both).isEmpty();
    for (String eventId : eventIds) {
      assertThat(events.delivery(eventId).answers()).containsExactly(200);
      assertThat(gateway.published(eventId)).isEqualTo(1);
    }
  }

  @Test
  void aReplicaClosedWithAnEventInHandLeavesItToTheOtherWhichDoesNotPublishItTwice() throws Exception {
    ZeebeTestEngine engine = gateway.start();
    long instance = gateway.waitingInstance("long-connection-handover", "create-handover");
    CountDownLatch inHand = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    LongConnection first = replica("first", new ConcurrentHashMap<>(), new CountDownLatch[] {inHand, letGo});
    await(() -> feishu.longConnections().openConnections(FeishuSimulator.APP_ID) == 1);

    String eventId = push("IC-HANDOVER", "create-handover");
    assertThat(inHand.await(10, TimeUnit.SECONDS)).isTrue();
    replica("second", new ConcurrentHashMap<>(), null);
    await(() -> feishu.longConnections().openConnections(FeishuSimulator.APP_ID) == 2);
    first.close();
    // the closed replica still publishes what it had in hand, but can no longer acknowledge it
    letGo.countDown();
    assertThat(events.awaitSettled(Duration.ofSeconds(30))).isTrue();

    assertThat(events.delivery(eventId).answers()).containsExactly(-1, 200);
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Approved");
    assertThat(gateway.published(eventId)).isEqualTo(1);
  }

  /**
   * One replica's long connection, wired as the worker wires it, on a Camunda client and a memory of its own; it
   * notes which events it handled. With {@code hold}, its first event counts down {@code hold[0]} and waits for
   * {@code hold[1]} before it is handled.
   */
  private LongConnection replica(String name, Map<String, Set<String>> handledBy, CountDownLatch[] hold) {
    CamundaClient camunda = open(CamundaClient.newClientBuilder().grpcAddress(URI.create(gateway.grpcAddress()))
        .preferRestOverGrpc(false).build());
    LocalSeenEvents seen = new LocalSeenEvents(Clock.systemUTC(), 1_000);
    ApprovalEventDelivery delivery = new ApprovalEventDelivery(new ApprovalEventMessages(new FlowCallbackMessages(
        camunda, seen, Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(1500), Duration.ofSeconds(2))),
        Map.of());
    LongConnectionEvents handler = new LongConnectionEvents("default", FeishuSimulator.APP_ID, Optional.empty(),
        new EventVerifier(Clock.systemUTC(), seen, Duration.ofSeconds(2)), delivery);
    FeishuSettings app = new FeishuSettings(feishu.baseUrl(), FeishuSimulator.APP_ID, FeishuSimulator.APP_SECRET,
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), 4, Duration.ofSeconds(1), 0,
        Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(1));
    LongConnection connection = open(new LongConnection(name, app, json -> {
      handledBy.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(eventId(json));
      if (hold != null && hold[0].getCount() > 0) {
        hold[0].countDown();
        try {
          hold[1].await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return handler.handle(json);
    }));
    connection.start();
    return connection;
  }

  private String push(String instanceCode, String creationUuid) {
    return events.push(FeishuSimulator.APP_ID, "approval_instance", Map.of("approval_code", "AC-LC",
        "instance_code", instanceCode, "status", "APPROVED", "operate_time", "1716174311566", "uuid", creationUuid));
  }

  private static String eventId(byte[] json) {
    try {
      return JSON.readTree(json).path("uuid").asText();
    } catch (IOException notJson) {
      return "";
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int waited = 0; !condition.getAsBoolean(); waited++) {
      assertThat(waited).as("waited 30 s for the condition").isLessThan(1_500);
      Thread.sleep(20);
    }
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }
}
