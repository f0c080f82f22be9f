package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.feishuapproval.feishu.EventVerdict.AppTicket;
import io.github.feishuapproval.feishu.EventVerdict.ApprovalEvent;
import io.github.feishuapproval.feishu.EventVerdict.Challenge;
import io.github.feishuapproval.feishu.EventVerdict.Duplicate;
import io.github.feishuapproval.feishu.EventVerdict.Ignored;
import io.github.feishuapproval.feishu.EventVerdict.Refused;
import io.github.feishuapproval.feishu.EventVerdict.Unavailable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * What one Feishu event push comes to, decided from its bytes, its headers, the app's keys and a clock alone.
 *
 * <p>With an Encrypt Key, an event counts as Feishu's when its X-Lark-Signature checks out; then its
 * X-Lark-Request-Timestamp must be within {@link #MAX_AGE} of the clock, the signed request must not have been seen
 * before, and only then is it decrypted. Without a key Feishu signs nothing and the Verification Token is all there
 * is; a timestamp header, if one comes, must still be fresh.
 *
 * <p>Feishu does not sign url_verification: its Java, Go and Node SDKs all skip the signature for it, and requests
 * captured from the console carry no X-Lark headers. An encrypted challenge without them is answered on the
 * Verification Token alone, as answering changes nothing. Every refusal of such an unsigned encrypted push is a 401,
 * whatever went wrong, so that its status does not tell a broken padding from a wrong plaintext (a padding oracle);
 * the reason, for the log, still says which.
 *
 * <p>Statuses: 413 a body over {@link #MAX_BODY_BYTES}; 400 a body unlike Feishu's (not a JSON object, encrypted
 * with no key set or plain with one, not decrypting, no challenge, ticket, app id or event type); 401 a signature,
 * Verification Token or timestamp missing, wrong or stale; 403 an app_ticket for another app; 409 a replay, a signed
 * request (timestamp, nonce, signature) seen before. When the memory of seen pushes cannot answer in time, the push
 * is {@link EventVerdict.Unavailable}, for Feishu to push again.
 *
 * <p>Memory, kept in {@link SeenEvents} (this process's, bounded to {@value #MEMORY_CAP} entries per kind, or the
 * shared store): signed requests for twice {@link #MAX_AGE}, as a timestamp up to MAX_AGE ahead of the clock stays
 * fresh that long; app_ticket event ids for {@link #EVENT_MEMORY}. Approval events (approval_instance,
 * approval_task) are checked (token, app id, event id) but not remembered here: their caller remembers them once it
 * acted on them. Ignored events are not remembered: they change
 * nothing, and a busy store app's other events would crowd the tickets out. Safe for concurrent use.
 */
public final class EventVerifier {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  public static final Duration MAX_AGE = Duration.ofMinutes(5);
  /** Feishu's last retry comes 15 s + 5 min + 1 h + 6 h after the first push, if those add up; an hour to spare. */
  static final Duration EVENT_MEMORY = Duration.ofHours(8);
  static final int MEMORY_CAP = 100_000;

  static final String TIMESTAMP = "X-Lark-Request-Timestamp";
  static final String NONCE = "X-Lark-Request-Nonce";
  static final String SIGNATURE = "X-Lark-Signature";
  private static final int MAX_CHALLENGE_CHARS = 256;
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern LOGGABLE_APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  // a second "token" or trailing bytes would let two readers of one push see two different pushes
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Clock clock;
  private final SeenEvents seen;
  private final Duration memoryTimeout;

  /** A verifier that remembers seen pushes in this process only. */
  public EventVerifier(Clock clock) {
    this(clock, new LocalSeenEvents(clock, MEMORY_CAP), Duration.ofSeconds(1));
  }

  /** @param memoryTimeout how long a push waits for {@code seen} to answer before it is {@code Unavailable} */
  public EventVerifier(Clock clock, SeenEvents seen, Duration memoryTimeout) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.memoryTimeout = Objects.requireNonNull(memoryTimeout, "memoryTimeout");
  }

  /**
   * @param headers any map of header name to value; names are looked up case-insensitively (X-Lark-Request-Timestamp,
   *     X-Lark-Request-Nonce, X-Lark-Signature)
   */
  public EventVerdict verify(EventSubscription subscription, byte[] rawBody, Map<String, String> headers) {
    Objects.requireNonNull(subscription, "subscription");
    byte[] body = rawBody == null ? new byte[0] : rawBody;
    if (body.length > MAX_BODY_BYTES) return new Refused(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    Optional<ObjectNode> outer = object(body);
    if (outer.isEmpty()) return new Refused(400, "the body is not a JSON object");
    Map<String, String> lark = larkHeaders(headers);
    JsonNode envelope = outer.get().get("encrypt");
    if (subscription.encryptKey().isEmpty()) {
      if (envelope != null) {
        return new Refused(400, "the push is encrypted but no Encrypt Key is set for app " + subscription.appId()
            + ": an Encrypt Key must be configured, the one in the Feishu developer console");
      }
      return stale(lark).<EventVerdict>map(r -> r).orElseGet(() -> event(subscription, outer.get(), false));
    }
    if (envelope == null) {
      return new Refused(400, "the push is unencrypted but an Encrypt Key is set for app " + subscription.appId()
          + ": set the same Encrypt Key in the Feishu developer console, or none here");
    }
    if (!envelope.isTextual()) return new Refused(400, "the push's encrypt field is not a string");
    String key = subscription.encryptKey().get();
    String signature = lark.get(SIGNATURE);
    if (signature == null) return unsigned(subscription, envelope.textValue(), key, lark);
    Optional<Refused> refused = wrongSignature(key, body, lark, signature).or(() -> stale(lark));
    if (refused.isPresent()) return refused.get();
    Optional<EventVerdict> replayed = replayed(lark, signature);
    if (replayed.isPresent()) return replayed.get();
    return EventCrypto.decrypt(envelope.textValue(), key).flatMap(EventVerifier::object)
        .<EventVerdict>map(plain -> event(subscription, plain, false))
        .orElseGet(() -> new Refused(400, "the push did not decrypt to a JSON object with the configured Encrypt Key"));
  }

  /**
   * An event that came by a channel Feishu already authenticated, its long connection (opened with the app's secret):
   * the plain v1 or v2 envelope, neither signed nor encrypted. Parsed and checked as {@link #verify} does once a push
   * proved itself, without signature or timestamp; the envelope's token, when it carries one, must still be the
   * Verification Token, when one is set.
   */
  public EventVerdict verifyTrusted(String appId, Optional<String> verificationToken, byte[] rawBody) {
    Objects.requireNonNull(appId, "appId");
    byte[] body = rawBody == null ? new byte[0] : rawBody;
    if (body.length > MAX_BODY_BYTES) return new Refused(413, "the event is larger than " + MAX_BODY_BYTES + " bytes");
    Optional<ObjectNode> plain = object(body);
    if (plain.isEmpty()) return new Refused(400, "the event is not a JSON object");
    Optional<String> expected = verificationToken.filter(token -> !token.isBlank());
    TokenRule rule = token -> expected.isEmpty() || !token.isTextual() || token.textValue().isEmpty()
        ? Optional.empty() : wrongToken(appId, expected.get(), token);
    return event(appId, rule, plain.get(), false);
  }

  /**
   * The caller could not act on this ticket (storing it failed): Feishu's next retry of the event is to be let through
   * rather than answered as a duplicate.
   */
  public void forget(AppTicket accepted) {
    if (accepted.eventId().isEmpty()) return;
    // a memory that cannot be reached keeps the id: the next hourly ticket has an event id of its own
    await(seen.forget(eventKey(accepted.appId(), accepted.eventId())));
  }

  /** An encrypted push without X-Lark-Signature: only a challenge may be one, and any refusal is a 401. */
  private EventVerdict unsigned(EventSubscription subscription, String envelope, String key, Map<String, String> lark) {
    Optional<ObjectNode> plain = EventCrypto.decrypt(envelope, key).flatMap(EventVerifier::object);
    EventVerdict verdict = plain.isEmpty()
        ? new Refused(401, "an unsigned encrypted push did not decrypt to a JSON object with the configured key")
        : stale(lark).<EventVerdict>map(r -> r).orElseGet(() -> event(subscription, plain.get(), true));
    return verdict instanceof Refused refused && refused.status() != 401 ? new Refused(401, refused.reason()) : verdict;
  }

  /** Whether an event's Verification Token is the one expected: empty when it is. */
  private interface TokenRule {
    Optional<Refused> check(JsonNode token);
  }

  private EventVerdict event(EventSubscription subscription, ObjectNode push, boolean onlyChallenge) {
    return event(subscription.appId(), token -> wrongToken(subscription, token), push, onlyChallenge);
  }

  private EventVerdict event(String subscribedApp, TokenRule tokens, ObjectNode push, boolean onlyChallenge) {
    if ("url_verification".equals(text(push, "type"))) return challenge(tokens, push);
    if (onlyChallenge) {
      return new Refused(401, "an encrypted event came without X-Lark-Signature; only url_verification may");
    }
    boolean v2 = "2.0".equals(text(push, "schema"));
    JsonNode header = push.path("header");
    JsonNode event = push.path("event");
    Optional<Refused> token = tokens.check(v2 ? header.path("token") : push.path("token"));
    if (token.isPresent()) return token.get();
    String eventId = v2 ? text(header, "event_id") : text(push, "uuid");
    String type = v2 ? text(header, "event_type") : text(event, "type");
    if (type.isEmpty()) return new Refused(400, "the event names no event type");
    if (!v2 && (ApprovalEvent.INSTANCE.equals(type) || ApprovalEvent.TASK.equals(type))) {
      return approval(subscribedApp, event, type, eventId);
    }
    if (!"app_ticket".equals(type)) return new Ignored(type, eventId);
    String appId = text(event, "app_id");
    if (appId.isEmpty() && v2) appId = text(header, "app_id");
    return appTicket(subscribedApp, appId, text(event, "app_ticket"), eventId);
  }

  private EventVerdict appTicket(String subscribedApp, String appId, String ticket, String eventId) {
    if (appId.isEmpty()) return new Refused(400, "the app_ticket event names no app_id");
    if (!appId.equals(subscribedApp)) {
      String named = LOGGABLE_APP_ID.matcher(appId).matches() ? appId : "an app id of unexpected form";
      return new Refused(403, "event for another app: the app_ticket is for " + named + ", this subscription is for "
          + subscribedApp);
    }
    if (ticket.isBlank()) return new Refused(400, "the app_ticket event carries no ticket");
    if (eventId.isEmpty()) return new AppTicket(appId, ticket, eventId);
    Optional<Boolean> first = await(seen.firstTime(eventKey(appId, eventId), EVENT_MEMORY));
    if (first.isEmpty()) return new Unavailable("the memory of app_ticket events seen could not be reached");
    return first.get() ? new AppTicket(appId, ticket, eventId) : new Duplicate(eventId);
  }

  /** Checked as an app_ticket is, but not remembered: the caller remembers it once Camunda took the message. */
  private static EventVerdict approval(String subscribedApp, JsonNode event, String type, String eventId) {
    String appId = text(event, "app_id");
    if (appId.isEmpty()) return new Refused(400, "the " + type + " event names no app_id");
    if (!appId.equals(subscribedApp)) {
      String named = LOGGABLE_APP_ID.matcher(appId).matches() ? appId : "an app id of unexpected form";
      return new Refused(403, "event for another app: the " + type + " event is for " + named
          + ", this subscription is for " + subscribedApp);
    }
    if (eventId.isEmpty()) return new Refused(400, "the " + type + " event carries no uuid (event id)");
    if (text(event, "instance_code").isEmpty() || text(event, "status").isEmpty()) {
      return new Refused(400, "the " + type + " event names no instance_code or status");
    }
    boolean task = ApprovalEvent.TASK.equals(type);
    return new ApprovalEvent(eventId, type, appId, text(event, "tenant_key"), text(event, "approval_code"),
        text(event, "instance_code"), text(event, "status"), text(event, "uuid"), timeText(event, "operate_time"),
        task ? text(event, "task_id") : "", task ? text(event, "user_id") : "", task ? text(event, "open_id") : "");
  }

  /** Milliseconds as Feishu sends them: a string, or a number in a REVERTED event. */
  private static String timeText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isIntegralNumber() ? value.asText() : text(node, field);
  }

  private EventVerdict challenge(TokenRule tokens, ObjectNode push) {
    Optional<Refused> token = tokens.check(push.path("token"));
    if (token.isPresent()) return token.get();
    String challenge = text(push, "challenge");
    if (challenge.isBlank() || challenge.length() > MAX_CHALLENGE_CHARS) {
      return new Refused(400, "the url_verification challenge is not a non-blank string of at most "
          + MAX_CHALLENGE_CHARS + " characters");
    }
    return new Challenge(challenge);
  }

  private static Optional<Refused> wrongToken(EventSubscription subscription, JsonNode token) {
    return wrongToken(subscription.appId(), subscription.verificationToken(), token);
  }

  private static Optional<Refused> wrongToken(String appId, String verificationToken, JsonNode token) {
    if (!token.isTextual() || token.textValue().isEmpty()) {
      return Optional.of(new Refused(401, "the push carries no Verification Token"));
    }
    if (!EventCrypto.sameSecret(verificationToken, token.textValue())) {
      return Optional.of(new Refused(401, "the push's Verification Token is not the one set for app " + appId));
    }
    return Optional.empty();
  }

  private static Optional<Refused> wrongSignature(String key, byte[] body, Map<String, String> lark, String received) {
    String timestamp = lark.get(TIMESTAMP);
    String nonce = lark.get(NONCE);
    if (timestamp == null || nonce == null) {
      return Optional.of(new Refused(401, "a signed push needs X-Lark-Request-Timestamp and X-Lark-Request-Nonce"));
    }
    if (!EventCrypto.signatureMatches(EventCrypto.signature(timestamp, nonce, key, body), received)) {
      return Optional.of(new Refused(401, "X-Lark-Signature does not match: the push was not signed with the "
          + "configured Encrypt Key, or was changed on the way"));
    }
    return Optional.empty();
  }

  private Optional<Refused> stale(Map<String, String> lark) {
    String timestamp = lark.get(TIMESTAMP);
    if (timestamp == null) return Optional.empty();
    if (!SECONDS.matcher(timestamp).matches()) {
      return Optional.of(new Refused(401, "X-Lark-Request-Timestamp is not a number of seconds"));
    }
    Duration off = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), clock.instant()).abs();
    if (off.compareTo(MAX_AGE) <= 0) return Optional.empty();
    return Optional.of(new Refused(401, "the push is stale: its X-Lark-Request-Timestamp is " + off.toSeconds()
        + " s off this worker's clock, more than the " + MAX_AGE.toSeconds() + " s allowed"));
  }

  /** Claimed as soon as the signature checks out, so that two copies racing in cannot both pass. */
  private Optional<EventVerdict> replayed(Map<String, String> lark, String signature) {
    String request = "request\n" + lark.get(TIMESTAMP) + '\n' + lark.get(NONCE) + '\n' + signature;
    Optional<Boolean> first = await(seen.firstTime(request, MAX_AGE.multipliedBy(2)));
    if (first.isEmpty()) return Optional.of(new Unavailable("the memory of signed pushes seen could not be reached"));
    if (first.get()) return Optional.empty();
    return Optional.of(new Refused(409, "a replay: this signed request (timestamp, nonce, signature) came before"));
  }

  private static String eventKey(String appId, String eventId) {
    return "ticket\n" + appId + '\n' + eventId;
  }

  /** The stage's value, or empty when it failed or took longer than the memory's timeout. */
  private <T> Optional<T> await(CompletionStage<T> stage) {
    try {
      return Optional.ofNullable(stage.toCompletableFuture().get(memoryTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<ObjectNode> object(byte[] bytes) {
    if (bytes.length == 0) return Optional.empty();
    try {
      return JSON.readTree(bytes) instanceof ObjectNode node ? Optional.of(node) : Optional.empty();
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.textValue() : "";
  }

  private static Map<String, String> larkHeaders(Map<String, String> headers) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers == null) return byName;
    headers.forEach((name, value) -> {
      if (name != null && value != null) byName.putIfAbsent(name, value);
    });
    return byName;
  }
}
