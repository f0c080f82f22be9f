package io.github.feishuapproval.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.CallbackCredentials;
import io.github.feishuapproval.feishu.CallbackVerdict;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import io.github.feishuapproval.worker.CallbackDelivery;
import io.github.feishuapproval.worker.FlowCallbackMessages;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where an aPaaS flow's HTTP node sends a human's decision: {@code POST /feishu/callbacks/<app name>}. It hands the
 * bytes to {@link FlowCallbackVerifier}, and a verified callback to {@link FlowCallbackMessages}; it answers 200 only
 * once Camunda took the message (or had it already), 503 when the flow is to send it again, and 4xx, with nothing
 * published, when the callback is refused. A name without a callback secret is checked against a secret nobody
 * knows, so that it is answered as a refused callback to a configured app would be. Refusals are logged at most once
 * a minute per app, with a count of those left out.
 */
@RestController
public final class FlowCallbackEndpoint {

  public static final String PATH = "/feishu/callbacks/";
  private static final Logger log = LoggerFactory.getLogger(FlowCallbackEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REFUSAL_LOG_INTERVAL = Duration.ofMinutes(1);
  /** The one key all names without a callback secret share in the refusal log, so that made-up names cannot grow it. */
  private static final String UNKNOWN = "\0unknown";

  private final Map<String, CallbackCredentials> apps;
  private final FlowCallbackVerifier verifier;
  private final FlowCallbackMessages messages;
  private final CallbackCredentials decoy = decoy();
  private final RefusalLog refusals;

  /** @param apps the credentials of each app that takes callbacks, by the name the path uses */
  public FlowCallbackEndpoint(Map<String, CallbackCredentials> apps, FlowCallbackVerifier verifier,
      FlowCallbackMessages messages, Clock clock) {
    this.apps = Map.copyOf(apps);
    this.verifier = verifier;
    this.messages = messages;
    this.refusals = new RefusalLog(clock, REFUSAL_LOG_INTERVAL);
  }

  @PostMapping(path = PATH + "{app}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> callback(@PathVariable("app") String app, HttpServletRequest request)
      throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(FlowCallbackVerifier.MAX_BODY_BYTES + 1);
    }
    CallbackCredentials credentials = apps.get(app);
    if (credentials == null) {
      CallbackVerdict verdict = verifier.verify(decoy, body, headers(request));
      int status = verdict instanceof CallbackVerdict.Refused refused ? refused.status() : 401;
      refusals.admit(UNKNOWN).ifPresent(leftOut -> log.warn("Refused a flow callback to {}{}: no app of that name "
          + "has a callback secret{}", PATH, printable(app), leftOut(leftOut)));
      return answer(status, "refused");
    }
    return switch (verifier.verify(credentials, body, headers(request))) {
      case CallbackVerdict.Accepted accepted -> deliver(app, accepted);
      case CallbackVerdict.Refused refused -> {
        refusals.admit(app).ifPresent(leftOut -> log.warn("Refused a flow callback for app {} from {}: {}{}", app,
            request.getRemoteAddr(), refused.reason(), leftOut(leftOut)));
        // the reason is for the log: echoing it would tell a prober which check failed
        yield answer(refused.status(), "refused");
      }
      case CallbackVerdict.Unavailable unavailable -> {
        log.warn("Could not check a flow callback for app {} ({}); answering 503 so that the flow sends it again",
            app, unavailable.reason());
        yield answer(503, "try again");
      }
    };
  }

  private ResponseEntity<String> deliver(String app, CallbackVerdict.Accepted accepted) {
    var callback = accepted.callback();
    return switch (messages.deliver(app, callback)) {
      case CallbackDelivery.Published published -> {
        log.info("Published message {} (id {}, correlation key {}) from a flow callback for app {}",
            printable(callback.messageName()), printable(callback.messageId()), printable(callback.correlationKey()),
            app);
        yield answer(200, "published");
      }
      case CallbackDelivery.AlreadyPublished already -> {
        log.info("A flow sent message id {} for app {} again; it was published before", printable(
            callback.messageId()), app);
        yield answer(200, "already published");
      }
      case CallbackDelivery.InProgress inProgress -> {
        verifier.release(accepted);
        log.info("A flow sent message id {} for app {} again while it is being published; answering 503",
            printable(callback.messageId()), app);
        yield answer(503, "try again");
      }
      case CallbackDelivery.NotDelivered notDelivered -> {
        verifier.release(accepted);
        log.warn("Could not publish message id {} from a flow callback for app {}: {}; answering 503 so that the "
            + "flow sends it again", printable(callback.messageId()), app, notDelivered.reason());
        yield answer(503, "try again");
      }
    };
  }

  private static String leftOut(long count) {
    return count == 0 ? "" : " (" + count + " more refused in the minute before were not logged)";
  }

  /** Credentials nobody has: callbacks to unknown names fail their checks as they would a configured app's. */
  private static CallbackCredentials decoy() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new CallbackCredentials(HexFormat.of().formatHex(secret), false);
  }

  private static Map<String, String> headers(HttpServletRequest request) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) headers.put(name, request.getHeader(name));
    return headers;
  }

  private static ResponseEntity<String> answer(int status, String msg) {
    try {
      return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
          .body(JSON.writeValueAsString(Map.of("msg", msg)));
    } catch (IOException e) {
      return ResponseEntity.status(500).build();
    }
  }

  private static String printable(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return cut.replaceAll("[^\\p{Alnum}_./:-]", "?");
  }
}
