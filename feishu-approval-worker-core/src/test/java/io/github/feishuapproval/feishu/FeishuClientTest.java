package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeishuClientTest {

  private static final String SECRET = "s3cr3t-app-secret-value";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock();
  private FeishuClient client;

  @BeforeEach
  void start() throws Exception {
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    client = client(Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws java.io.IOException {
    client.close();
    server.close();
  }

  @Test
  void rejectSendsTheTenantTokenAndBodyToTheTaskPathAndSucceedsOnCodeZero() throws Exception {
    server.enqueue(token("t-first", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}", "log-ok-1"));

    FeishuOutcome outcome = call("1785996265147395", body("1783981209205788", "拒绝"));

    assertThat(outcome).isEqualTo(new FeishuOutcome.Success(0, "success", "log-ok-1", JSON.createObjectNode()));
    RecordedRequest tokenRequest = server.takeRequest();
    assertThat(tokenRequest.getRequestUrl().encodedPath()).isEqualTo("/open-apis/auth/v3/tenant_access_token/internal");
    assertThat(tokenRequest.getHeaders().get("Authorization")).isNull();
    assertThat(JSON.readTree(tokenRequest.getBody().snapshot().utf8()))
        .isEqualTo(JSON.readTree("{\"app_id\":\"cli_test\",\"app_secret\":\"" + SECRET + "\"}"));
    RecordedRequest reject = server.takeRequest();
    assertThat(reject.getMethod()).isEqualTo("POST");
    assertThat(reject.getPath()).isEqualTo("/open-apis/apaas/v1/approval_tasks/1785996265147395/reject");
    assertThat(reject.getHeaders().get("Authorization")).isEqualTo("Bearer t-first");
    assertThat(reject.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(reject.getBody().snapshot().utf8()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"拒绝\"}");
  }

  @Test
  void documentedParamErrorIsABusinessErrorCarryingCodeMessageAndLogId() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(400, "{\"code\":2320001,\"msg\":\"param is invalid\",\"error\":{\"log_id\":\"x\"}}", "log-400"));

    assertThat(call("123", body("1", null)))
        .isEqualTo(new FeishuOutcome.BusinessError(2320001, "param is invalid", "log-400"));
  }

  @Test
  void undocumentedNonZeroCodeIsABusinessErrorSoTheProcessCanBranchOnIt() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(404, "{\"code\":2320004,\"msg\":\"user does not exist\"}", "log-404"));

    assertThat(call("123", body("1", null)))
        .isEqualTo(new FeishuOutcome.BusinessError(2320004, "user does not exist", "log-404"));
  }

  @Test
  void logIdFallsBackToRequestIdHeaderAndThenToTheBodysErrorLogId() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(new MockResponse().setResponseCode(400).addHeader("X-Request-Id", "req-77")
        .setBody("{\"code\":2320006,\"msg\":\"bad request\"}"));
    server.enqueue(new MockResponse().setResponseCode(400)
        .setBody("{\"code\":2320006,\"msg\":\"bad request\",\"error\":{\"log_id\":\"body-88\"}}"));

    assertThat(call("1", body("1", null)).logId()).isEqualTo("req-77");
    assertThat(call("1", body("1", null)).logId()).isEqualTo("body-88");
  }

  @ParameterizedTest
  @ValueSource(ints = {1500, 5000, 10101, 10500, 2320002})
  void internalErrorCodesAreTransient(int code) {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(500, "{\"code\":" + code + ",\"msg\":\"internal error\"}", "log-500"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.Transient.class);
    assertThat(((FeishuOutcome.Transient) outcome).reason()).contains(Integer.toString(code));
    assertThat(outcome.logId()).isEqualTo("log-500");
  }

  @Test
  void gatewayHtmlPageIsTransientAndNamesTheStatus() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(new MockResponse().setResponseCode(502).addHeader("X-Tt-Logid", "log-502")
        .setBody("<html>Bad Gateway</html>"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isEqualTo(new FeishuOutcome.Transient("HTTP 502 with a body that is not Feishu JSON", "log-502"));
  }

  @Test
  void emptyBodyIsTransient() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(new MockResponse().setResponseCode(200));

    assertThat(call("1", body("1", null))).isEqualTo(new FeishuOutcome.Transient("HTTP 200 with an empty body", ""));
  }

  @Test
  void unknownCodeWithA5xxStatusIsTransient() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(503, "{\"code\":777,\"msg\":\"busy\"}", "log-503"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Transient.class);
  }

  @Test
  void droppedConnectionIsTransient() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.Transient.class);
    assertThat(((FeishuOutcome.Transient) outcome).reason()).doesNotStartWith("HTTP");
  }

  @Test
  void answerSlowerThanTheReadTimeoutIsTransientAndSaysItTimedOut() {
    client.close();
    client = client(Duration.ofMillis(300));
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "late")
        .setHeadersDelay(2, TimeUnit.SECONDS));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.Transient.class);
    assertThat(((FeishuOutcome.Transient) outcome).reason()).contains("timed out");
  }

  @Test
  void http429WaitsForTheResetTheGatewayNames() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(429, "{\"code\":99991400,\"msg\":\"frequency limit\"}", "log-429")
        .addHeader("x-ogw-ratelimit-limit", "100").addHeader("x-ogw-ratelimit-reset", "7"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.RateLimited.class);
    assertThat(((FeishuOutcome.RateLimited) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(outcome.logId()).isEqualTo("log-429");
  }

  @ParameterizedTest
  @ValueSource(ints = {1000004, 1000005})
  void rateLimitCodesWithoutResetHeaderWaitTheDefault(int code) {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(400, "{\"code\":" + code + ",\"msg\":\"limited\"}", "log-rl"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isEqualTo(new FeishuOutcome.RateLimited(Duration.ofSeconds(3), "Feishu code " + code + " (limited)", "log-rl"));
  }

  @Test
  void rejectedTokenIsReplacedAndTheCallMadeOnceMore() throws Exception {
    server.enqueue(token("t-stale", 7200));
    server.enqueue(feishu(400, "{\"code\":99991663,\"msg\":\"Invalid access token\"}", "log-a"));
    server.enqueue(token("t-fresh", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "log-b"));

    assertThat(call("1", body("1", null))).isEqualTo(new FeishuOutcome.Success(0, "success", "log-b", JSON.createObjectNode()));
    server.takeRequest();
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t-stale");
    server.takeRequest();
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t-fresh");
    assertThat(client.tokens().fetchCount()).isEqualTo(2);
  }

  @Test
  void tokenRejectedTwiceIsAConfigurationErrorAfterExactlyTwoCalls() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(400, "{\"code\":99991663,\"msg\":\"Invalid access token\"}", "log-a"));
    server.enqueue(token("t-2", 7200));
    server.enqueue(feishu(400, "{\"code\":99991671,\"msg\":\"token format invalid\"}", "log-b"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.ConfigurationError.class);
    assertThat(((FeishuOutcome.ConfigurationError) outcome).code()).isEqualTo(99991671);
    assertThat(outcome.logId()).isEqualTo("log-b");
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void missingScopeIsAConfigurationErrorNamingTheScope() {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(400, "{\"code\":99991672,\"msg\":\"Access denied. One of the following scopes is required: "
        + "[app_engine:approval:write].\"}", "log-scope"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.ConfigurationError.class);
    assertThat(((FeishuOutcome.ConfigurationError) outcome).remedy()).contains("app_engine:approval:write");
  }

  @ParameterizedTest
  @ValueSource(ints = {10014, 10015, 20002, 99991401, 99991403, 99991662, 99991673, 99991676, 99991679})
  void configurationCodesAreConfigurationErrors(int code) {
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(400, "{\"code\":" + code + ",\"msg\":\"no\"}", "log-c"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.ConfigurationError.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {10012, 10013})
  void tokenEndpointInternalFailureIsTransientAndNoCallIsMade(int code) {
    server.enqueue(feishu(500, "{\"code\":" + code + ",\"msg\":\"get token failed\"}", "log-t"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Transient.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void wrongSecretAtTheTokenEndpointIsAConfigurationErrorWithoutTheSecret() {
    server.enqueue(feishu(400, "{\"code\":10015,\"msg\":\"app secret invalid\"}", "log-t"));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.ConfigurationError.class);
    assertThat(outcome.toString()).doesNotContain(SECRET);
  }

  @Test
  void cachedTokenIsReusedUntilShortlyBeforeItExpires() throws Exception {
    server.enqueue(token("t-1", 7200));
    for (int i = 0; i < 3; i++) server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));
    server.enqueue(token("t-2", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));

    call("1", body("1", null));
    clock.advance(Duration.ofMinutes(90));
    call("1", body("1", null));
    clock.advance(Duration.ofMinutes(24));
    call("1", body("1", null));
    assertThat(client.tokens().fetchCount()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    call("1", body("1", null));
    assertThat(client.tokens().fetchCount()).isEqualTo(2);
    List<String> authorizations = new ArrayList<>();
    for (int i = 0; i < 6; i++) authorizations.add(server.takeRequest().getHeaders().get("Authorization"));
    assertThat(authorizations).containsExactly(null, "Bearer t-1", "Bearer t-1", "Bearer t-1", null, "Bearer t-2");
  }

  @Test
  void manyConcurrentCallsOnAColdStartShareOneTokenFetch() {
    server.enqueue(token("t-shared", 7200).setHeadersDelay(300, TimeUnit.MILLISECONDS));
    for (int i = 0; i < 64; i++) server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));

    List<CompletableFuture<FeishuOutcome>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) calls.add(client.call(request("task" + i, body("1", null))));

    assertThat(calls).allSatisfy(c -> assertThat(c.join()).isInstanceOf(FeishuOutcome.Success.class));
    assertThat(client.tokens().fetchCount()).isEqualTo(1);
  }

  @Test
  void failedTokenFetchIsNotCachedSoTheNextCallTriesAgain() {
    server.enqueue(feishu(500, "{\"code\":10013,\"msg\":\"get tenant token failed\"}", "log-t"));
    server.enqueue(token("t-2", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Transient.class);
    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../auth", "a/b", "..", "x?y=1", "x#frag", "%2e%2e", "a b", "任务", ""})
  void taskIdThatCouldChangeThePathIsRefusedBeforeAnythingIsSent(String hostile) {
    assertThatThrownBy(() -> client.call(request(hostile, body("1", null))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void baseUrlMustBeHttpsUnlessItIsLoopback() {
    assertThatThrownBy(() -> settings(URI.create("http://open.feishu.cn"), Duration.ofSeconds(1)))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> settings(URI.create("http://10.0.0.5:8080"), Duration.ofSeconds(1)))
        .hasMessageContaining("https");
    settings(URI.create("https://open.larksuite.com"), Duration.ofSeconds(1));
    settings(URI.create("http://localhost:9000"), Duration.ofSeconds(1));
    settings(URI.create("http://[::1]:9000"), Duration.ofSeconds(1));
  }

  @Test
  void settingsNeverPrintTheSecret() {
    assertThat(settings(URI.create("https://open.feishu.cn"), Duration.ofSeconds(1)).toString()).doesNotContain(SECRET);
  }

  @Test
  void callBeyondTheAppsQuotaIsHandedBackWithItsWaitAndNothingIsSent() {
    client.close();
    client = quotaClient(2);
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);
    assertThat(call("2", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);
    FeishuOutcome third = call("3", body("1", null));

    assertThat(third).isInstanceOf(FeishuOutcome.RateLimited.class);
    // the slot frees in 60.6 s; the job comes back half the longest quota wait (5 s) before that
    assertThat(((FeishuOutcome.RateLimited) third).retryAfter()).isEqualTo(Duration.ofMillis(58_100));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aQuotaSlotCountsFromWhenTheCallLeavesNotFromBeforeASlowTokenFetch() {
    client.close();
    client = quotaClient(1);
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getRequestUrl().encodedPath().endsWith("/tenant_access_token/internal")) {
          clock.advance(Duration.ofSeconds(30));
          return token("t-1", 7200);
        }
        return feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok");
      }
    });

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);
    FeishuOutcome second = call("2", body("1", null));

    // the first call left 30 s in, after its token: the second's slot is a whole window from then (60.6 s, less the
    // 2.5 s lead every handed-back job gets)
    assertThat(((FeishuOutcome.RateLimited) second).retryAfter()).isEqualTo(Duration.ofMillis(58_100));
  }

  @Test
  void aCallHeldUpPastItsCountIsCountedAgainFromWhenItLeavesInsteadOfSentLate() {
    client.close();
    List<String> missed = new CopyOnWriteArrayList<>();
    FeishuEvents events = new FeishuEvents() {
      @Override
      public void quotaSlotMissed(String app, String operation, String reason) {
        missed.add(operation + " " + reason);
      }
    };
    // one call a minute, and the first answer about a slot comes 0.7 s after it was asked for: the slot was for
    // then, and the call would leave later than the quota's margin of 0.6 s allows
    QuotaStore slowOnce = new SlowFirstAnswer(new LocalQuotaStore(1, Duration.ofMinutes(1), clock),
        Duration.ofMillis(700));
    client = new FeishuClient(FeishuApps.DEFAULT, quotaSettings(1), JSON, clock, events, slowOnce,
        new LocalTicketStore(clock));
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok"));

    // counted twice, the quota of one call a minute would be spent and the job handed back
    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);
    assertThat(missed).containsExactly("reject late");
    assertThat(server.getRequestCount()).isEqualTo(2);
    // the slot it left on does count: the next call waits for the window
    assertThat(call("2", body("1", null))).isInstanceOf(FeishuOutcome.RateLimited.class);
  }

  @Test
  void aCallThatKeepsMissingItsSlotIsHandedBackWithoutBeingSent() {
    client.close();
    QuotaStore alwaysSlow = new SlowFirstAnswer(new LocalQuotaStore(5, Duration.ofMinutes(1), clock),
        Duration.ofMillis(700)) {
      @Override
      public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
        Reservation answer = delegate.reserve(quota, maxWait).toCompletableFuture().join();
        return CompletableFuture.supplyAsync(() -> answer, CompletableFuture.delayedExecutor(700,
            TimeUnit.MILLISECONDS));
      }

      @Override
      public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
        Departure answer = delegate.depart(quota, granted).toCompletableFuture().join();
        return CompletableFuture.supplyAsync(() -> answer, CompletableFuture.delayedExecutor(700,
            TimeUnit.MILLISECONDS));
      }
    };
    client = new FeishuClient(FeishuApps.DEFAULT, quotaSettings(5), JSON, clock, FeishuEvents.NONE, alwaysSlow,
        new LocalTicketStore(clock));
    server.enqueue(token("t-1", 7200));

    FeishuOutcome outcome = call("1", body("1", null));

    assertThat(outcome).isInstanceOf(FeishuOutcome.NotSent.class);
    assertThat(((FeishuOutcome.NotSent) outcome).reason()).contains("could not leave on time");
    assertThat(server.getRequestCount()).as("the token fetch only").isEqualTo(1);
    // every slot it missed was given back: the whole quota is still there
    for (int i = 0; i < 5; i++) {
      assertThat(alwaysSlow.reserve(new QuotaStore.QuotaKey("cli_test", "", "reject"), Duration.ZERO)
          .toCompletableFuture().join()).isInstanceOf(QuotaStore.Reservation.Granted.class);
    }
  }

  private static void stall(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A store whose first answer to a reservation comes late, as a busy machine or a slow store would give it. */
  private static class SlowFirstAnswer implements QuotaStore {
    final QuotaStore delegate;
    private final Duration lag;
    private final AtomicBoolean first = new AtomicBoolean(true);

    SlowFirstAnswer(QuotaStore delegate, Duration lag) {
      this.delegate = delegate;
      this.lag = lag;
    }

    @Override
    public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
      Reservation answer = delegate.reserve(quota, maxWait).toCompletableFuture().join();
      if (!first.getAndSet(false)) return CompletableFuture.completedFuture(answer);
      return CompletableFuture.supplyAsync(() -> answer,
          CompletableFuture.delayedExecutor(lag.toMillis(),
              TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
      return delegate.pause(quota, wait);
    }

    @Override
    public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
      return delegate.depart(quota, granted);
    }

    @Override
    public CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted) {
      return delegate.release(quota, granted);
    }
  }

  @Test
  void callsWhoseSlotsComeLateOnABusyMachineStillLeaveOnTheQuotaInsteadOfBeingHandedBack() {
    client.close();
    // two calls per two seconds, on the real clock; the first look at each slot stalls the slots' timer thread for
    // 100 ms, five times the 20 ms margin, as a busy machine does: every call leaves later than its slot
    Clock real = Clock.systemUTC();
    java.util.Set<String> looked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    QuotaStore busy = new SlowFirstAnswer(new LocalQuotaStore(2, Duration.ofSeconds(2), real), Duration.ZERO) {
      @Override
      public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
        if (looked.add(granted.slot())) stall(Duration.ofMillis(100));
        return delegate.depart(quota, granted);
      }
    };
    FeishuSettings settings = new FeishuSettings(URI.create("http://127.0.0.1:" + server.getPort()), "cli_test",
        SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 64, Duration.ofSeconds(3), 2,
        Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5));
    client = new FeishuClient(FeishuApps.DEFAULT, settings, JSON, real, FeishuEvents.NONE, busy,
        new LocalTicketStore(real));
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getRequestUrl().encodedPath().endsWith("/tenant_access_token/internal")) return token("t-1", 7200);
        arrivals.add(System.nanoTime());
        return feishu(200, "{\"code\":0,\"msg\":\"success\"}", "ok");
      }
    });
    call("0", body("1", null));

    List<CompletableFuture<FeishuOutcome>> calls = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) calls.add(client.call(request(Long.toString(i), body("1", null))));

    // three windows for six calls, none handed back
    assertThat(calls).allSatisfy(c -> assertThat(c.join()).isInstanceOf(FeishuOutcome.Success.class));
    assertThat(arrivals).as("each call sent once").hasSize(6);
  }

  @Test
  void aCallThatCouldNotBeAnsweredBeforeItsDeadlineIsNotSent() throws Exception {
    server.enqueue(token("t-1", 7200));

    FeishuOutcome outcome = client.call(request("1", body("1", null)), Duration.ofMillis(500)).join();

    assertThat(outcome).isInstanceOf(FeishuOutcome.NotSent.class);
    assertThat(((FeishuOutcome.NotSent) outcome).reason()).contains("lock would run out");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getRequestUrl().encodedPath()).contains("tenant_access_token");
  }

  @Test
  void aQuotaWaitIsShortenedSoThatTheCallIsAnsweredBeforeItsDeadline() {
    client.close();
    // one call a minute, and a quota wait of up to two minutes allowed by the settings
    client = new FeishuClient(new FeishuSettings(URI.create("http://127.0.0.1:" + server.getPort()), "cli_test",
        SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 64, Duration.ofSeconds(3), 1,
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(5)), JSON, clock);
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\"}", "log-1"));
    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.Success.class);

    // the next slot is a minute away: within the settings' wait, beyond what a call due within 10 s may wait
    FeishuOutcome next = client.call(request("2", body("1", null)), Duration.ofSeconds(10)).join();

    assertThat(next).isInstanceOf(FeishuOutcome.RateLimited.class);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void afterA429TheClientSendsNothingMoreUntilTheReset() {
    client.close();
    client = quotaClient(100);
    server.enqueue(token("t-1", 7200));
    server.enqueue(feishu(429, "{\"code\":99991400,\"msg\":\"limit\"}", "log-429")
        .addHeader("x-ogw-ratelimit-reset", "30"));

    assertThat(call("1", body("1", null))).isInstanceOf(FeishuOutcome.RateLimited.class);
    FeishuOutcome next = call("2", body("1", null));

    assertThat(next).isInstanceOf(FeishuOutcome.RateLimited.class);
    // back 2.5 s (half the longest quota wait) before the reset, to wait out the rest in the worker
    assertThat(((FeishuOutcome.RateLimited) next).retryAfter()).isEqualTo(Duration.ofMillis(27_500));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  private FeishuOutcome call(String taskId, Map<String, Object> body) {
    return client.call(request(taskId, body)).join();
  }

  private static ApiRequest request(String taskId, Map<String, Object> body) {
    return new ApiRequest(FeishuOperation.REJECT_APPROVAL_TASK, Map.of("approval_task_id", taskId), body);
  }

  private static Map<String, Object> body(String userId, String opinion) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user_id", userId);
    if (opinion != null) body.put("opinion", opinion);
    return body;
  }

  /** A client allowed {@code calls} per minute for each API, waiting at most 5 s for a slot. */
  private FeishuClient quotaClient(int calls) {
    return new FeishuClient(quotaSettings(calls), JSON, clock);
  }

  private FeishuSettings quotaSettings(int calls) {
    return new FeishuSettings(URI.create("http://127.0.0.1:" + server.getPort()), "cli_test", SECRET,
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 64, Duration.ofSeconds(3), calls,
        Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private FeishuClient client(Duration readTimeout) {
    URI base = URI.create("http://127.0.0.1:" + server.getPort());
    return new FeishuClient(settings(base, readTimeout), JSON, clock);
  }

  private static FeishuSettings settings(URI base, Duration readTimeout) {
    return new FeishuSettings(base, "cli_test", SECRET, Duration.ofSeconds(1), readTimeout, readTimeout.plusSeconds(1),
        64, Duration.ofSeconds(3), 0, Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5));
  }

  private static MockResponse token(String value, long expire) {
    return feishu(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"" + value + "\",\"expire\":" + expire + "}",
        "log-token");
  }

  private static MockResponse feishu(int status, String body, String logId) {
    return new MockResponse().setResponseCode(status).addHeader("X-Tt-Logid", logId)
        .addHeader("Content-Type", "application/json; charset=utf-8").setBody(body);
  }

  /** A clock the tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-24T08:00:00Z");

    synchronized void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
