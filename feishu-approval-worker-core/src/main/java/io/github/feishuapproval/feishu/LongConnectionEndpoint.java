package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Feishu for a long connection: {@code POST {base}/callback/ws/endpoint} with {@code {"AppID","AppSecret"}} (and
 * {@code locale: zh}), answered {@code {"code":0,"data":{"URL":"wss://…","ClientConfig":{…}}}}. Codes 1 (system busy)
 * and 1000040343 (internal error) mean "later"; any other refuses this app. Neither the secret nor the URL's query
 * (a ticket) is logged.
 */
final class LongConnectionEndpoint {

  static final String PATH = "/callback/ws/endpoint";
  // one logger for the whole long connection, so that an operator follows one name
  private static final Logger log = LoggerFactory.getLogger(LongConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_ANSWER_BYTES = 64 * 1024;
  private static final List<Integer> BUSY = List.of(1, 1000040343);

  /** Where to connect, and the client settings Feishu gave with it (possibly missing). */
  record Granted(HttpUrl url, JsonNode clientConfig) {}

  private final String name;
  private final FeishuSettings app;
  private final OkHttpClient http;

  LongConnectionEndpoint(String name, FeishuSettings app, OkHttpClient http) {
    this.name = name;
    this.app = app;
    this.http = http;
  }

  /** The WebSocket URL Feishu hands out for this app, or empty after logging why not. */
  Optional<Granted> ask() {
    ObjectNode body = JSON.createObjectNode().put("AppID", app.appId()).put("AppSecret", app.appSecret());
    Request request = new Request.Builder().url(app.baseUrl().toString().replaceAll("/+$", "") + PATH)
        .header("locale", "zh")
        .post(RequestBody.create(body.toString(), FeishuHttp.JSON)).build();
    JsonNode answer;
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        log.warn("Feishu's long-connection endpoint answered HTTP {} for app {} ({}); trying again later",
            response.code(), name, app.appId());
        return Optional.empty();
      }
      answer = JSON.readTree(response.peekBody(MAX_ANSWER_BYTES).string());
    } catch (IOException | RuntimeException unreachable) {
      log.warn("Could not reach Feishu's long-connection endpoint for app {} ({}): {}; trying again later", name,
          app.appId(), FeishuHttp.describe(unreachable));
      return Optional.empty();
    }
    int code = answer.path("code").asInt(-1);
    if (code != 0) {
      String msg = LongConnection.printable(answer.path("msg").asText(""));
      if (BUSY.contains(code)) {
        log.warn("Feishu is busy and gave app {} ({}) no long connection (code {}, {}); trying again later", name,
            app.appId(), code, msg);
      } else {
        log.error("Feishu refused app {} ({}) a long connection (code {}, {}): check its app id and secret, that it "
            + "is a self-built app, and that events are set to arrive by long connection (长连接) in the developer "
            + "console; trying again later", name, app.appId(), code, msg);
      }
      return Optional.empty();
    }
    JsonNode data = answer.path("data");
    return webSocketUrl(data.path("URL").asText("")).map(url -> new Granted(url, data.path("ClientConfig")));
  }

  /** wss, or ws only when Feishu itself is reached by plain HTTP (a simulator on this machine). */
  private Optional<HttpUrl> webSocketUrl(String given) {
    boolean secure = given.regionMatches(true, 0, "wss://", 0, 6);
    boolean plain = given.regionMatches(true, 0, "ws://", 0, 5);
    boolean plainAllowed = "http".equalsIgnoreCase(app.baseUrl().getScheme());
    HttpUrl url = secure || (plain && plainAllowed) ? HttpUrl.parse((secure ? "https" : "http")
        + given.substring(secure ? 3 : 2)) : null;
    if (url == null) {
      log.error("Feishu's long-connection endpoint gave app {} ({}) no usable wss:// URL; trying again later", name,
          app.appId());
    }
    return Optional.ofNullable(url);
  }
}
