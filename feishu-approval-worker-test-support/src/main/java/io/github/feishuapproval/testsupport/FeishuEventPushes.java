package io.github.feishuapproval.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Event pushes built as Feishu builds them: the v1 app_ticket event, a v2 event, the url_verification challenge, the
 * {@code {"encrypt": ...}} envelope and the X-Lark signature headers. Written from Feishu's documented format, apart
 * from the worker's own code, so that a round trip checks the worker against the format and not against itself.
 */
public final class FeishuEventPushes {

  public static final String TIMESTAMP = "X-Lark-Request-Timestamp";
  public static final String NONCE = "X-Lark-Request-Nonce";
  public static final String SIGNATURE = "X-Lark-Signature";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * One push as it goes on the wire.
   *
   * @param headers the X-Lark headers; none for a plain push, as Feishu signs only when an Encrypt Key is set
   */
  public record Push(String body, Map<String, String> headers) {
    public Push {
      headers = Map.copyOf(headers);
    }

    public byte[] bytes() {
      return body.getBytes(UTF_8);
    }
  }

  private FeishuEventPushes() {}

  /** The hourly app_ticket push, a v1 event. */
  public static String appTicketEventV1(String appId, String ticket, String verificationToken, String uuid) {
    return appTicketEventV1(appId, ticket, verificationToken, uuid, Instant.now());
  }

  public static String appTicketEventV1(String appId, String ticket, String verificationToken, String uuid,
      Instant sent) {
    ObjectNode push = JSON.createObjectNode();
    // v1 gives the sending time as seconds with a fraction, in a string
    push.put("ts", sent.getEpochSecond() + "." + String.format("%07d", sent.getNano() / 100));
    push.put("uuid", uuid);
    push.put("token", verificationToken);
    push.put("type", "event_callback");
    ObjectNode event = push.putObject("event");
    event.put("app_id", appId);
    event.put("app_ticket", ticket);
    event.put("type", "app_ticket");
    return write(push);
  }

  /**
   * An Approval (审批 v4) event as Feishu pushes it, a v1 event: {@code approval_instance} or {@code approval_task},
   * its own fields (approval_code, instance_code, status, operate_time, uuid, task_id ...) in {@code fields}, and
   * {@code app_id} and {@code type} added. {@code eventId} is the envelope's outer uuid.
   */
  public static String approvalEventV1(String eventType, String appId, String verificationToken, String eventId,
      Map<String, ?> fields, Instant sent) {
    ObjectNode push = JSON.createObjectNode();
    push.put("ts", sent.getEpochSecond() + "." + String.format("%07d", sent.getNano() / 100));
    push.put("uuid", eventId);
    push.put("token", verificationToken);
    push.put("type", "event_callback");
    ObjectNode event = push.putObject("event");
    event.put("app_id", appId);
    event.put("tenant_key", "2ca1d211f64f6438");
    event.put("type", eventType);
    event.setAll((ObjectNode) JSON.valueToTree(fields));
    return write(push);
  }

  /** A v2 ({@code "schema":"2.0"}) event: the common fields in {@code header}, the event's own in {@code event}. */
  public static String eventV2(String eventType, String appId, String verificationToken, String eventId,
      Map<String, ?> event) {
    ObjectNode push = JSON.createObjectNode();
    push.put("schema", "2.0");
    ObjectNode header = push.putObject("header");
    header.put("event_id", eventId);
    header.put("token", verificationToken);
    header.put("create_time", Long.toString(Instant.now().toEpochMilli()));
    header.put("event_type", eventType);
    header.put("tenant_key", "2ca1d211f64f6438");
    header.put("app_id", appId);
    push.set("event", JSON.valueToTree(event));
    return write(push);
  }

  /** What Feishu sends when a request URL is saved in the developer console. */
  public static String urlVerification(String challenge, String verificationToken) {
    ObjectNode push = JSON.createObjectNode();
    push.put("challenge", challenge);
    push.put("token", verificationToken);
    push.put("type", "url_verification");
    return write(push);
  }

  /** {@code {"encrypt": base64(iv + AES-256-CBC(json))}}, the key being SHA-256 of the Encrypt Key, a random IV. */
  public static String encrypt(String json, String encryptKey) {
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256(encryptKey.getBytes(UTF_8)), "AES"),
          new IvParameterSpec(iv));
      byte[] sealed = aes.doFinal(json.getBytes(UTF_8));
      byte[] data = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, data, 0, iv.length);
      System.arraycopy(sealed, 0, data, iv.length, sealed.length);
      return write(JSON.createObjectNode().put("encrypt", Base64.getEncoder().encodeToString(data)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC is missing from this JDK", e);
    }
  }

  /** The three X-Lark headers: the signature is hex(SHA-256(timestamp + nonce + Encrypt Key + body)). */
  public static Map<String, String> signedHeaders(String body, String encryptKey, Instant at, String nonce) {
    String timestamp = Long.toString(at.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TIMESTAMP, timestamp);
    headers.put(NONCE, nonce);
    headers.put(SIGNATURE,
        HexFormat.of().formatHex(sha256((timestamp + nonce + encryptKey + body).getBytes(UTF_8))));
    return headers;
  }

  /** The push of {@code json} as Feishu sends it at {@code at}: encrypted and signed when a key is given. */
  public static Push push(String json, Optional<String> encryptKey, Instant at) {
    if (encryptKey.isEmpty()) return new Push(json, Map.of());
    String body = encrypt(json, encryptKey.get());
    return new Push(body, signedHeaders(body, encryptKey.get(), at, nonce()));
  }

  /** POSTs the push to an event request URL, waiting at most Feishu's 3 s for the answer. */
  public static HttpResponse<String> post(URI endpoint, Push push) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(3))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(push.bytes()));
    push.headers().forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private static String nonce() {
    byte[] nonce = new byte[8];
    RANDOM.nextBytes(nonce);
    return HexFormat.of().formatHex(nonce);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings could not be written", e);
    }
  }
}
