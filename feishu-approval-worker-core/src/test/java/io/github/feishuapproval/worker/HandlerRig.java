package io.github.feishuapproval.worker;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.FeishuSettings;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * One job handler wired as the worker wires it, against a Feishu on MockWebServer that grants tokens and answers every
 * call with {@link #feishuAnswer}, an engine that records commands, and a memory that can be made to break.
 */
final class HandlerRig implements AutoCloseable {

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
  static final int CAPACITY = 4;

  final MockWebServer feishu = new MockWebServer();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile String feishuAnswer = "{\"code\":0,\"msg\":\"success\",\"data\":{\"tasks\":[]}}";
  volatile int feishuStatus = 200;
  final FakeEngine engine = new FakeEngine();
  final FaultyMemory memory = new FaultyMemory();
  FeishuApps apps;
  FeishuJobHandler handler;

  HandlerRig() {
    this(new ObjectMapper(), new ObjectMapper(), Map.of());
  }

  /**
   * @param handlerJson the handler's mapper (variables in, completion variables out)
   * @param clientJson the Feishu client's mapper (request bodies)
   * @param appByTenant Camunda tenants served by a named app
   */
  HandlerRig(ObjectMapper handlerJson, ObjectMapper clientJson, Map<String, String> appByTenant) {
    Map<String, List<String>> appsByTenant = new LinkedHashMap<>();
    appByTenant.forEach((tenant, app) -> appsByTenant.put(tenant, List.of(app)));
    feishu.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getRequestUrl().encodedPath().contains("tenant_access_token")) {
          return json(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        }
        calls.add(request.getRequestUrl().encodedPath());
        return json(feishuStatus, feishuAnswer);
      }
    });
    try {
      feishu.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FeishuSettings settings = new FeishuSettings(URI.create("http://127.0.0.1:" + feishu.getPort()), "cli_rig",
        "rig-secret", Duration.ofSeconds(1), CALL_TIMEOUT, CALL_TIMEOUT, 64, Duration.ofSeconds(3), 0,
        Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5));
    apps = FeishuApps.of(Map.of(FeishuApps.DEFAULT, settings), clientJson, Clock.systemUTC(), FeishuEvents.NONE,
        QuotaStore.inProcess(1, Duration.ofMinutes(1), Clock.systemUTC()), TicketStore.inProcess(Clock.systemUTC()));
    handler = new FeishuJobHandler(new AppRouting(apps, appsByTenant, false), memory, handlerJson,
        new WorkerSettings(CAPACITY, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(3)),
        JobEvents.NONE);
  }

  static JobSubscription subscription(JobOperation operation, Duration timeout) {
    return new JobSubscription(operation, "rig", timeout, 32, List.of(), Optional.empty(), Optional.empty(),
        List.of("<default>"));
  }

  /** Hands the job to the handler as the job worker would, on a thread of its own (it may wait for room). */
  void run(JobOperation operation, FakeJob job) {
    run(subscription(operation, JOB_TIMEOUT), job);
  }

  void run(JobSubscription subscription, FakeJob job) {
    // a slot that never came back would leave this thread waiting, and the test failing on the missing answer
    Thread.ofVirtual().start(() -> {
      try {
        handler.handle(subscription, engine.client(), job.job());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Waits until the job has had its command and every slot is back, as each job's answer gives one back. */
  FakeEngine.Command answerTo(FakeJob job) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !engine.commandsFor(job.key()).isEmpty()
        && handler.jobsInFlight() == 0);
    return engine.commandsFor(job.key()).getFirst();
  }

  static String reject(String taskId) {
    return "{\"approvalTaskId\":\"" + taskId + "\",\"userId\":\"1783981209205788\"}";
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).addHeader("X-Tt-Logid", "log-rig")
        .addHeader("Content-Type", "application/json; charset=utf-8").setBody(body);
  }

  @Override
  public void close() {
    apps.close();
    try {
      feishu.shutdown();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
