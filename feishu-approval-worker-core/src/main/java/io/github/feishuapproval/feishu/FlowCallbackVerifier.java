package io.github.feishuapproval.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.feishuapproval.feishu.CallbackVerdict.Accepted;
import io.github.feishuapproval.feishu.CallbackVerdict.Refused;
import io.github.feishuapproval.feishu.CallbackVerdict.Unavailable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What one callback from an aPaaS flow's HTTP node comes to, decided from its bytes, its headers, the app's
 * credentials and a clock, before anything is published.
 *
 * <p>Two ways to prove it: the shared secret as it is in {@value #SECRET} (what the node's «Header Auth» connection
 * sends), or a signature in {@value #SIGNATURE}: lower-case hex of HMAC-SHA256 with the secret as key over
 * {@value #TIMESTAMP} + "." + the raw body, the timestamp in Unix seconds within {@link #DEFAULT_MAX_AGE} (or the
 * configured window) of the clock. A signed callback is claimed in {@link SeenEvents} once its signature checks out,
 * so that a copy sent again is a replay (409). With {@code signatureRequired}, a callback without a signature is
 * refused even with the right secret. Secrets are compared in constant time.
 *
 * <p>Checked in this order, so that a caller without the secret learns nothing from the status: 413 a body over
 * {@link #MAX_BODY_BYTES}; 401 a secret or signature missing or wrong, a timestamp missing or stale; 409 a replay;
 * then 400 a body that is not the documented JSON object. The body: {@code messageName} (optional, default
 * {@value #DEFAULT_MESSAGE_NAME}), {@code correlationKey} and {@code messageId} (strings, or whole numbers), and
 * {@code variables} (a JSON object, optional), {@code tenantId} (the Camunda tenant, required only when the app serves
 * several). Safe for concurrent use.
 */
public final class FlowCallbackVerifier {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
  public static final String DEFAULT_MESSAGE_NAME = "feishu-apaas-decision";
  public static final String SECRET = "X-Callback-Secret";
  public static final String TIMESTAMP = "X-Callback-Timestamp";
  public static final String SIGNATURE = "X-Callback-Signature";
  static final int MAX_TEXT_CHARS = 256;

  private static final Set<String> FIELDS = Set.of("messageName", "correlationKey", "messageId", "variables",
      "tenantId");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern INTEGRAL = Pattern.compile("-?[0-9]{1,40}");
  // a second "messageId" or trailing bytes would let two readers of one callback see two different callbacks
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .build();

  private final Clock clock;
  private final SeenEvents seen;
  private final Duration maxAge;
  private final Duration memoryTimeout;

  /**
   * @param maxAge how far a signed callback's timestamp may be from the clock
   * @param memoryTimeout how long a signed callback waits for {@code seen} before it is {@code Unavailable}
   */
  public FlowCallbackVerifier(Clock clock, SeenEvents seen, Duration maxAge, Duration memoryTimeout) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.memoryTimeout = Objects.requireNonNull(memoryTimeout, "memoryTimeout");
  }

  /** @param headers any map of header name to value; names are looked up case-insensitively */
  public CallbackVerdict verify(CallbackCredentials credentials, byte[] rawBody, Map<String, String> headers) {
    Objects.requireNonNull(credentials, "credentials");
    byte[] body = rawBody == null ? new byte[0] : rawBody;
    if (body.length > MAX_BODY_BYTES) return new Refused(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    Map<String, String> byName = caseInsensitive(headers);
    Optional<String> signedRequest = Optional.empty();
    String signature = byName.get(SIGNATURE);
    if (signature != null) {
      Optional<Refused> refused = wrongSignature(credentials, body, byName, signature)
          .or(() -> wrongSecretIfSent(credentials, byName))
          .or(() -> stale(byName.get(TIMESTAMP)));
      if (refused.isPresent()) return refused.get();
      String request = "callback-request\n" + byName.get(TIMESTAMP) + '\n' + signature.toLowerCase(Locale.ROOT);
      Optional<Boolean> first = await(seen.firstTime(request, maxAge.multipliedBy(2)));
      if (first.isEmpty()) return new Unavailable("the memory of signed callbacks seen could not be reached");
      if (!first.get()) return new Refused(409, "a replay: this signed callback (timestamp, signature) came before");
      signedRequest = Optional.of(request);
    } else if (credentials.signatureRequired()) {
      return new Refused(401, "the callback is not signed, and this app takes signed callbacks only ("
          + SIGNATURE + " and " + TIMESTAMP + ")");
    } else {
      String secret = byName.get(SECRET);
      if (secret == null || secret.isEmpty()) {
        return new Refused(401, "the callback carries neither " + SECRET + " nor " + SIGNATURE);
      }
      if (!EventCrypto.sameSecret(credentials.secret(), secret)) {
        return new Refused(401, SECRET + " is not the callback secret set for this app");
      }
    }
    CallbackVerdict decoded = decode(body, signedRequest, credentials.camundaTenants());
    // a signed callback that was refused for its content changes nothing, so its copy may come again once fixed
    if (decoded instanceof Refused && signedRequest.isPresent()) release(signedRequest.get());
    return decoded;
  }

  /** Publishing failed: the flow's identical retry of this signed callback is to be let through, not refused. */
  public void release(Accepted accepted) {
    accepted.signedRequest().ifPresent(this::release);
  }

  private void release(String request) {
    await(seen.forget(request));
  }

  /** The signature a caller puts in {@value #SIGNATURE}: hex HMAC-SHA256(secret, timestamp + "." + body). */
  public static String signature(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  private static Optional<Refused> wrongSignature(CallbackCredentials credentials, byte[] body,
      Map<String, String> headers, String received) {
    String timestamp = headers.get(TIMESTAMP);
    if (timestamp == null || !SECONDS.matcher(timestamp).matches()) {
      return Optional.of(new Refused(401, "a signed callback needs " + TIMESTAMP + " in Unix seconds"));
    }
    if (!HEX_64.matcher(received).matches()) {
      return Optional.of(new Refused(401, SIGNATURE + " is not 64 hex digits"));
    }
    String expected = signature(credentials.secret(), timestamp, body);
    if (!EventCrypto.signatureMatches(expected, received.toLowerCase(Locale.ROOT))) {
      return Optional.of(new Refused(401, SIGNATURE + " does not match: the callback was not signed with this "
          + "app's callback secret, or was changed on the way"));
    }
    return Optional.empty();
  }

  private static Optional<Refused> wrongSecretIfSent(CallbackCredentials credentials, Map<String, String> headers) {
    String secret = headers.get(SECRET);
    if (secret == null || EventCrypto.sameSecret(credentials.secret(), secret)) return Optional.empty();
    return Optional.of(new Refused(401, SECRET + " is not the callback secret set for this app"));
  }

  private Optional<Refused> stale(String timestamp) {
    Duration off = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), clock.instant()).abs();
    if (off.compareTo(maxAge) <= 0) return Optional.empty();
    return Optional.of(new Refused(401, "the callback is stale: its " + TIMESTAMP + " is " + off.toSeconds()
        + " s off this worker's clock, more than the " + maxAge.toSeconds() + " s allowed"));
  }

  private static CallbackVerdict decode(byte[] body, Optional<String> signedRequest, List<String> tenants) {
    ObjectNode callback;
    try {
      if (body.length == 0 || !(JSON.readTree(body) instanceof ObjectNode node)) {
        return new Refused(400, "the body is not a JSON object");
      }
      callback = node;
    } catch (IOException notJson) {
      return new Refused(400, "the body is not a JSON object");
    }
    for (var names = callback.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        return new Refused(400, "the body has a field this endpoint does not know, " + printable(name)
            + "; the fields are messageName, correlationKey, messageId, variables and tenantId");
      }
    }
    Optional<String> messageName = callback.has("messageName")
        ? text(callback.get("messageName"), false) : Optional.of(DEFAULT_MESSAGE_NAME);
    if (messageName.isEmpty()) return badField("messageName", "a non-blank string");
    Optional<String> correlationKey = text(callback.get("correlationKey"), true);
    if (correlationKey.isEmpty()) return badField("correlationKey", "a non-blank string or a whole number");
    Optional<String> messageId = text(callback.get("messageId"), true);
    if (messageId.isEmpty()) return badField("messageId", "a non-blank string or a whole number");
    JsonNode variables = callback.get("variables");
    if (variables != null && !variables.isNull() && !variables.isObject()) {
      return badField("variables", "a JSON object");
    }
    String variablesJson = variables == null || variables.isNull() ? "{}" : variables.toString();
    Optional<String> tenantId = callback.has("tenantId") ? text(callback.get("tenantId"), false) : Optional.empty();
    if (callback.has("tenantId") && tenantId.isEmpty()) return badField("tenantId", "a non-blank string");
    String tenant;
    if (tenantId.isPresent()) {
      if (!tenants.contains(tenantId.get())) {
        return new Refused(400, "the body's tenantId " + printable(tenantId.get())
            + " is not a Camunda tenant this app serves");
      }
      tenant = tenantId.get();
    } else if (tenants.size() > 1) {
      return new Refused(400, "the app serves several Camunda tenants; the body's tenantId must name one");
    } else {
      tenant = tenants.isEmpty() ? null : tenants.getFirst();
    }
    return new Accepted(new FlowCallback(messageName.get(), correlationKey.get(), messageId.get(), variablesJson,
        tenant), signedRequest);
  }

  private static Refused badField(String field, String what) {
    return new Refused(400, "the body's " + field + " is not " + what + " of at most " + MAX_TEXT_CHARS
        + " characters");
  }

  /** A non-blank string of at most MAX_TEXT_CHARS, or (when allowed) a whole number as its digits. */
  private static Optional<String> text(JsonNode node, boolean numberAllowed) {
    if (node == null) return Optional.empty();
    String value;
    if (node.isTextual()) value = node.textValue();
    else if (numberAllowed && node.isIntegralNumber()) value = node.bigIntegerValue().toString();
    else return Optional.empty();
    if (value.isBlank() || value.length() > MAX_TEXT_CHARS) return Optional.empty();
    return numberAllowed && node.isNumber() && !INTEGRAL.matcher(value).matches() ? Optional.empty()
        : Optional.of(value);
  }

  private <T> Optional<T> await(CompletionStage<T> stage) {
    try {
      return Optional.ofNullable(stage.toCompletableFuture().get(memoryTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> caseInsensitive(Map<String, String> headers) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers == null) return byName;
    headers.forEach((name, value) -> {
      if (name != null && value != null) byName.putIfAbsent(name, value);
    });
    return byName;
  }

  private static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return '"' + cut.replaceAll("[^\\p{Alnum}_.-]", "?") + '"';
  }
}
