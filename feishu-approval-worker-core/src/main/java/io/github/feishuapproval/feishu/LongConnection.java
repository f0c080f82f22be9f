package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.LongConnectionFrame.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One self-built app's long connection (长连接) to Feishu, by which Feishu sends the app's events instead of pushing
 * them to a public URL. It asks {@code POST {base}/callback/ws/endpoint} with the app's id and secret for a WebSocket
 * URL, connects, pings at the interval Feishu sets, joins events sent in parts, hands each event's JSON to the handler
 * on a thread of its own, and acknowledges it with the code the handler returns (200: done; anything else: Feishu
 * sends it again, perhaps to another connection). After a drop it reconnects, first after a random part of Feishu's
 * reconnect nonce, then at its reconnect interval, for as long as it is not closed.
 *
 * <p>The secret is never logged nor put in an exception; the WebSocket URL carries a ticket, so only its host and path
 * are logged. Payloads are never logged.
 */
public final class LongConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LongConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one event: the code it is acknowledged with, 200 when Feishu may forget it. */
  @FunctionalInterface
  public interface EventHandler {
    int handle(byte[] eventJson);
  }

  private final String name;
  private final FeishuSettings app;
  private final EventHandler handler;
  private final OkHttpClient http;
  private final LongConnectionEndpoint endpoint;
  private final SplitPayloads parts;
  private final ScheduledExecutorService timer;
  private final ExecutorService handlers;
  private final Clock clock;
  private volatile LongConnectionSettings settings = LongConnectionSettings.DEFAULTS;
  private volatile WebSocket socket;
  private volatile boolean closed;
  private volatile long lastHeard;
  private ScheduledFuture<?> pings;
  private int failedAttempts;

  /** @param name the app's name in the configuration, for the log */
  public LongConnection(String name, FeishuSettings app, EventHandler handler) {
    this.name = Objects.requireNonNull(name, "name");
    this.app = Objects.requireNonNull(app, "app");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.clock = Clock.systemUTC();
    this.http = new OkHttpClient.Builder()
        .connectTimeout(app.connectTimeout())
        .readTimeout(app.readTimeout())
        .writeTimeout(app.readTimeout())
        .callTimeout(app.callTimeout())
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
    this.endpoint = new LongConnectionEndpoint(name, app, http);
    this.parts = new SplitPayloads(clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("feishu-long-connection-" + name).factory());
    this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
        .name("feishu-long-connection-" + name + "-event-", 0).factory());
  }

  /** Connects in the background; a failure is logged and tried again, never thrown. */
  public void start() {
    timer.execute(this::connect);
  }

  public boolean connected() {
    return socket != null;
  }

  /** The app's name in the configuration. */
  public String name() {
    return name;
  }

  /**
   * Stops pinging and reconnecting and closes the socket. Events being handled are not acknowledged: Feishu sends
   * them again, to another connection.
   */
  @Override
  public synchronized void close() {
    closed = true;
    timer.shutdownNow();
    handlers.shutdown();
    WebSocket open = socket;
    socket = null;
    if (open != null) open.close(1000, "closing");
    http.dispatcher().executorService().shutdown();
  }

  private void connect() {
    if (closed || socket != null) return;
    Optional<LongConnectionEndpoint.Granted> granted = endpoint.ask();
    if (granted.isEmpty()) {
      reconnectLater();
      return;
    }
    settings = settings.with(granted.get().clientConfig());
    HttpUrl url = granted.get().url();
    http.newWebSocket(new Request.Builder().url(url).build(), new Listener(intQuery(url, "service_id"),
        printable(url)));
  }

  private synchronized void reconnectLater() {
    if (closed) return;
    LongConnectionSettings now = settings;
    long delay = failedAttempts++ == 0 ? jitter(now.reconnectNonce()) : now.reconnectInterval().toMillis();
    try {
      timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile: nothing to reconnect
    }
  }

  private static long jitter(Duration nonce) {
    return nonce.isZero() ? 0 : ThreadLocalRandom.current().nextLong(nonce.toMillis());
  }

  private synchronized void opened(WebSocket webSocket, int service, String where) {
    if (closed) {
      webSocket.close(1000, "closing");
      return;
    }
    socket = webSocket;
    failedAttempts = 0;
    lastHeard = clock.millis();
    log.info("Long connection of app {} ({}) is open to {}", name, app.appId(), where);
    schedulePings(webSocket, service, 0);
  }

  private synchronized void schedulePings(WebSocket webSocket, int service, long firstDelayMillis) {
    if (closed || socket != webSocket) return;
    if (pings != null) pings.cancel(false);
    long every = settings.pingInterval().toMillis();
    pings = timer.scheduleWithFixedDelay(() -> ping(webSocket, service), firstDelayMillis, every,
        TimeUnit.MILLISECONDS);
  }

  private void ping(WebSocket webSocket, int service) {
    // a connection that went silent for three pings is dead, though no FIN came
    if (clock.millis() - lastHeard > 3 * settings.pingInterval().toMillis()) {
      log.warn("Long connection of app {} ({}) heard nothing for three pings; reconnecting", name, app.appId());
      webSocket.cancel();
      return;
    }
    webSocket.send(ByteString.of(LongConnectionFrame.of(service, LongConnectionFrame.CONTROL,
        List.of(new Header("type", "ping")), null).encode()));
  }

  private synchronized void dropped(WebSocket webSocket, String why) {
    if (socket != webSocket && socket != null) return;
    socket = null;
    if (pings != null) pings.cancel(false);
    if (closed) return;
    log.warn("Long connection of app {} ({}) dropped ({}); reconnecting", name, app.appId(), why);
    reconnectLater();
  }

  private void received(WebSocket webSocket, int service, byte[] bytes) {
    lastHeard = clock.millis();
    Optional<LongConnectionFrame> decoded = LongConnectionFrame.decode(bytes);
    if (decoded.isEmpty()) {
      log.warn("Long connection of app {} ({}) received a frame that is not a pbbp2.Frame; ignored", name,
          app.appId());
      return;
    }
    LongConnectionFrame frame = decoded.get();
    String type = frame.header("type").orElse("");
    if (frame.method() == LongConnectionFrame.CONTROL) {
      if (type.equals("pong") && frame.payload().length > 0) pong(webSocket, service, frame.payload());
      return;
    }
    if (!type.equals("event")) return;
    Optional<byte[]> whole = parts.add(frame.header("message_id").orElse(""), number(frame, "sum", 1),
        number(frame, "seq", 0), frame.payload());
    if (whole.isEmpty() || closed) return;
    try {
      handlers.execute(() -> handle(webSocket, frame, whole.get()));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile: unacknowledged, Feishu sends it again
    }
  }

  private void handle(WebSocket webSocket, LongConnectionFrame frame, byte[] event) {
    long start = System.nanoTime();
    int code;
    try {
      code = handler.handle(event);
    } catch (RuntimeException failed) {
      log.warn("Handling an event on the long connection of app {} failed ({}); answering 500 so that Feishu sends "
          + "it again", name, failed.getClass().getSimpleName());
      code = 500;
    }
    if (closed) return;
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    byte[] ack = ("{\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
    webSocket.send(ByteString.of(frame.answer(ack, new Header("biz_rt", Long.toString(elapsedMillis))).encode()));
  }

  /** A pong may carry new settings; a new ping interval applies from the next ping on. */
  private void pong(WebSocket webSocket, int service, byte[] payload) {
    Duration before = settings.pingInterval();
    try {
      settings = settings.with(JSON.readTree(payload));
    } catch (IOException notJson) {
      return;
    }
    Duration after = settings.pingInterval();
    if (!after.equals(before)) schedulePings(webSocket, service, after.toMillis());
  }

  private static int number(LongConnectionFrame frame, String header, int otherwise) {
    try {
      return frame.header(header).map(Integer::parseInt).orElse(otherwise);
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }

  private static int intQuery(HttpUrl url, String parameter) {
    try {
      String value = url.queryParameter(parameter);
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }

  /** Host and path only: the query carries the connection's ticket. */
  private static String printable(HttpUrl url) {
    return url.host() + url.encodedPath();
  }

  static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private final class Listener extends WebSocketListener {
    private final int service;
    private final String where;

    Listener(int service, String where) {
      this.service = service;
      this.where = where;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      opened(webSocket, service, where);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      if (!closed) received(webSocket, service, bytes.toByteArray());
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      dropped(webSocket, "closed by Feishu with code " + code);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      String handshake = response == null ? null : response.header("handshake-status");
      String why = handshake != null ? "refused with handshake status " + printable(handshake) + " ("
          + printable(Objects.requireNonNullElse(response.header("handshake-msg"), "")) + ", auth code "
          + printable(Objects.requireNonNullElse(response.header("handshake-autherrcode"), "none")) + ")"
          : response != null ? "HTTP " + response.code() : FeishuHttp.describe(failure);
      dropped(webSocket, why);
    }
  }
}
