package io.github.feishuapproval.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.feishuapproval.feishu.LongConnectionFrame;
import io.github.feishuapproval.feishu.LongConnectionFrame.Header;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;

/**
 * Feishu's long connection (长连接) as the simulator speaks it: {@code POST /callback/ws/endpoint} hands an app that
 * shows its id and secret a WebSocket URL on the simulator with a ticket, and that WebSocket speaks
 * {@code pbbp2.Frame}s: a ping is answered with a pong carrying the client settings, and {@link #send} hands an event
 * to one randomly chosen open connection of the app as a data frame (in two parts when larger than
 * {@link #splitOver}), waiting {@link #ACK_WAIT} for its acknowledgement.
 */
public final class SimulatedLongConnections {

  public static final String ENDPOINT_PATH = "/callback/ws/endpoint";
  static final String SOCKET_PATH = "/callback/ws/socket";
  /** Feishu's 3 s rule, as for webhook pushes. */
  public static final Duration ACK_WAIT = Duration.ofSeconds(3);
  /** The official SDKs list 403 (forbidden) among the endpoint's refusals; the simulator answers a wrong secret so. */
  public static final int REFUSED = 403;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The service id the endpoint's URLs name, which pings must carry. */
  public static final int SERVICE_ID = 33554678;

  /** A ping one connection sent: the service it named. */
  public record Ping(String appId, String deviceId, int service) {}

  private final class Connection extends WebSocketListener {
    final String appId;
    final String deviceId;
    volatile WebSocket socket;
    final Map<String, CompletableFuture<Integer>> waiting = new ConcurrentHashMap<>();

    Connection(String appId, String deviceId) {
      this.appId = appId;
      this.deviceId = deviceId;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
      open.add(this);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      LongConnectionFrame frame = LongConnectionFrame.decode(bytes.toByteArray()).orElse(null);
      if (frame == null) return;
      if (frame.method() == LongConnectionFrame.CONTROL && frame.header("type").orElse("").equals("ping")) {
        pings.add(new Ping(appId, deviceId, frame.service()));
        webSocket.send(ByteString.of(LongConnectionFrame.of(frame.service(), LongConnectionFrame.CONTROL,
            List.of(new Header("type", "pong")), pongConfig().getBytes(StandardCharsets.UTF_8)).encode()));
        return;
      }
      CompletableFuture<Integer> ack = waiting.remove(frame.header("message_id").orElse(""));
      if (ack != null) ack.complete(code(frame.payload()));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
      gone();
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      gone();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      gone();
    }

    private void gone() {
      open.remove(this);
      waiting.values().forEach(ack -> ack.complete(-1));
    }
  }

  private final BiPredicate<String, String> credentials;
  private final Map<String, String> tickets = new ConcurrentHashMap<>();
  private final List<Connection> open = new CopyOnWriteArrayList<>();
  private final List<Ping> pings = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong endpointRequests = new AtomicLong();
  private volatile int splitOver = 512;
  private volatile int pingIntervalSeconds = 120;
  private volatile int reconnectIntervalSeconds = 1;
  private volatile int reconnectNonceSeconds = 0;
  private volatile int pongPingIntervalSeconds = -1;

  /** @param credentials whether an app id and secret are an app's */
  SimulatedLongConnections(BiPredicate<String, String> credentials) {
    this.credentials = credentials;
  }

  /** The client settings the endpoint and every pong hand out, in seconds. */
  public void clientConfig(int pingInterval, int reconnectInterval, int reconnectNonce) {
    this.pingIntervalSeconds = pingInterval;
    this.reconnectIntervalSeconds = reconnectInterval;
    this.reconnectNonceSeconds = reconnectNonce;
  }

  /** Pongs carry this ping interval, in seconds, instead of the one the endpoint hands out: Feishu changing its mind. */
  public void pongPingInterval(int seconds) {
    this.pongPingIntervalSeconds = seconds;
  }

  /** Events whose JSON is longer than this many bytes are sent in two data frames. */
  public void splitOver(int bytes) {
    this.splitOver = bytes;
  }

  /** How many long connections of the app are open now. */
  public int openConnections(String appId) {
    return (int) open.stream().filter(c -> c.appId.equals(appId)).count();
  }

  public List<Ping> pings() {
    return List.copyOf(pings);
  }

  public long endpointRequests() {
    return endpointRequests.get();
  }

  /** Feishu drops every open connection of the app, as it does when it redeploys. */
  public void dropConnections(String appId) {
    // a server-side socket cannot be cancelled, only closed; Feishu closes with "going away" when it redeploys
    open.stream().filter(c -> c.appId.equals(appId)).forEach(c -> c.socket.close(1001, "going away"));
  }

  /**
   * Sends the event to one randomly chosen open connection of the app and waits for its acknowledgement: the code it
   * carries, or -1 when no connection was open, none came within {@link #ACK_WAIT} or the connection dropped.
   */
  public int send(String appId, String eventJson) {
    List<Connection> candidates = open.stream().filter(c -> c.appId.equals(appId)).toList();
    if (candidates.isEmpty()) return -1;
    Connection chosen = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    String messageId = "sim-msg-" + sequence.incrementAndGet();
    CompletableFuture<Integer> ack = new CompletableFuture<>();
    chosen.waiting.put(messageId, ack);
    byte[] payload = eventJson.getBytes(StandardCharsets.UTF_8);
    List<byte[]> parts = payload.length > splitOver
        ? List.of(Arrays.copyOfRange(payload, 0, payload.length / 2),
            Arrays.copyOfRange(payload, payload.length / 2, payload.length))
        : List.of(payload);
    for (int seq = 0; seq < parts.size(); seq++) {
      List<Header> headers = List.of(new Header("type", "event"), new Header("message_id", messageId),
          new Header("sum", Integer.toString(parts.size())), new Header("seq", Integer.toString(seq)),
          new Header("trace_id", UUID.randomUUID().toString()));
      LongConnectionFrame frame = new LongConnectionFrame(sequence.incrementAndGet(), sequence.get(), SERVICE_ID,
          LongConnectionFrame.DATA, headers, "", "", parts.get(seq), "");
      WebSocket socket = chosen.socket;
      if (socket == null || !socket.send(ByteString.of(frame.encode()))) ack.complete(-1);
    }
    try {
      return ack.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException | TimeoutException unanswered) {
      return -1;
    } finally {
      chosen.waiting.remove(messageId);
    }
  }

  /** Whether the simulator answers this request. */
  static boolean handles(String path) {
    return path.equals(ENDPOINT_PATH) || path.equals(SOCKET_PATH);
  }

  MockResponse answer(RecordedRequest request, URI baseUrl) {
    String path = request.getRequestUrl().encodedPath();
    if (path.equals(SOCKET_PATH)) {
      String appId = tickets.remove(String.valueOf(request.getRequestUrl().queryParameter("ticket")));
      if (appId == null) return new MockResponse().setResponseCode(403).setHeader("handshake-status", "403")
          .setHeader("handshake-msg", "ticket invalid");
      return new MockResponse().withWebSocketUpgrade(new Connection(appId,
          request.getRequestUrl().queryParameter("device_id")));
    }
    endpointRequests.incrementAndGet();
    JsonNode body = parse(request.getBody().snapshot().utf8());
    String appId = body.path("AppID").asText("");
    if (!credentials.test(appId, body.path("AppSecret").asText(""))) {
      return json(JSON.createObjectNode().put("code", REFUSED).put("msg", "app id or secret is invalid"));
    }
    String ticket = UUID.randomUUID().toString();
    tickets.put(ticket, appId);
    String url = (baseUrl.getScheme().equals("https") ? "wss" : "ws") + "://" + baseUrl.getRawAuthority()
        + SOCKET_PATH + "?device_id=" + sequence.incrementAndGet() + "&service_id=" + SERVICE_ID + "&ticket=" + ticket;
    ObjectNode answer = JSON.createObjectNode().put("code", 0).put("msg", "ok");
    answer.putObject("data").put("URL", url).set("ClientConfig", parseConfig());
    return json(answer);
  }

  private String clientConfig() {
    return JSON.createObjectNode().put("ReconnectCount", -1).put("ReconnectInterval", reconnectIntervalSeconds)
        .put("ReconnectNonce", reconnectNonceSeconds).put("PingInterval", pingIntervalSeconds).toString();
  }

  private String pongConfig() {
    int ping = pongPingIntervalSeconds;
    return ping < 0 ? clientConfig() : ((ObjectNode) parse(clientConfig())).put("PingInterval", ping).toString();
  }

  private JsonNode parseConfig() {
    return parse(clientConfig());
  }

  private static int code(byte[] payload) {
    return parse(new String(payload, StandardCharsets.UTF_8)).path("code").asInt(-1);
  }

  private static MockResponse json(ObjectNode body) {
    return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json; charset=utf-8")
        .setBody(body.toString());
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException notJson) {
      return JSON.createObjectNode();
    }
  }

  /** Closes every connection, as a Feishu that goes away would. */
  void close() {
    new ArrayList<>(open).forEach(c -> c.socket.close(1001, "going away"));
  }
}
