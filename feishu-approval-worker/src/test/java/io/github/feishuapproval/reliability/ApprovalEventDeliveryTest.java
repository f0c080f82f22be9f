package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An Approval event pushed while the Camunda gateway is away is answered non-200, so nothing is remembered and
 * Feishu pushes it again; once the gateway is back, a retry publishes it, exactly once.
 */
class ApprovalEventDeliveryTest {

  private static final String TOKEN = "verification-token-event-outage-5a0c";
  private static final String KEY = "encrypt-key-event-outage-c93e";
  private static final String PROCESS = "approval-event-outage";

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) closeable.close();
  }

  @Test
  void anEventPushedWhileTheGatewayIsAwayIsRefusedAndPublishedOnceOnFeishusRetry() throws Exception {
    EngineOutage gateway = open(new EngineOutage());
    FeishuSimulator feishu = open(new FeishuSimulator().start());
    ConfigurableApplicationContext worker = open(gateway.worker(feishu, "--feishu.verification-token=" + TOKEN,
        "--feishu.encrypt-key=" + KEY));
    SimulatedApprovalEvents events = feishu.approvalEvents();
    events.target(FeishuSimulator.APP_ID, new SimulatedApprovalEvents.Target(eventUrl(worker), TOKEN,
        Optional.of(KEY)));
    events.retryDelays(Collections.nCopies(240, Duration.ofMillis(250)).toArray(Duration[]::new));

    String eventId = events.push(FeishuSimulator.APP_ID, "approval_instance", Map.of("approval_code", "AC-OUT",
        "instance_code", "IC-OUT", "status", "APPROVED", "operate_time", "1716174311566", "uuid", "create-outage"));
    for (int waited = 0; events.delivery(eventId).answers().isEmpty() && waited < 600; waited++) Thread.sleep(50);
    assertThat(events.delivery(eventId).answers().getFirst()).isNotEqualTo(200);

    ZeebeTestEngine engine = gateway.start();
    long instance = gateway.waitingInstance(PROCESS, "create-outage");
    assertThat(events.awaitSettled(Duration.ofSeconds(60))).isTrue();

    assertThat(events.delivery(eventId).acknowledged()).isTrue();
    assertThat(new EngineProbe(engine, Duration.ofSeconds(30)).awaitEnding(instance).endEvent()).contains("Approved");
    events.pushAgain(eventId);
    assertThat(events.awaitSettled(Duration.ofSeconds(10))).isTrue();
    assertThat(events.delivery(eventId).answers().getLast()).isEqualTo(200);
    // a publish the engine took after the worker had stopped waiting is refused on the retry by its message id
    assertThat(gateway.published(eventId)).isEqualTo(1);
  }

  private static URI eventUrl(ConfigurableApplicationContext worker) {
    return URI.create("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port")
        + "/feishu/events/default");
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }
}
