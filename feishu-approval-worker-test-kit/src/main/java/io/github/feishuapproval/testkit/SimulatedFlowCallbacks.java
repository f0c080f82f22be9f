package io.github.feishuapproval.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FlowCallbackVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plays an aPaaS flow's HTTP node calling the worker back with a human's decision: it posts the documented JSON body
 * to the callback URL with the secret in {@code X-Callback-Secret} (or signed, when asked), and sends it again, as a
 * node set to retry would, while the answer is a 5xx or no answer at all. A 2xx or 4xx ends it.
 *
 * <pre>{@code
 * SimulatedFlowCallbacks node = SimulatedFlowCallbacks.to(URI.create("http://localhost:8080/feishu/callbacks/flows"),
 *     "the-callback-secret");
 * node.decide("exec-1", "exec-1/task-9", Map.of("decision", "agree", "userId", "1783981209205788"));
 * }</pre>
 */
public final class SimulatedFlowCallbacks {

  /** What one attempt got: an HTTP status, or 0 when no answer came. */
  public record Attempt(int status) {}

  /** Every attempt of one callback, in order; the last one is how it ended. */
  public record Delivery(List<Attempt> attempts) {
    public int status() {
      return attempts.get(attempts.size() - 1).status();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final String secret;
  private final boolean signed;
  private final int attempts;
  private final Duration pause;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SimulatedFlowCallbacks(URI url, String secret, boolean signed, int attempts, Duration pause, Clock clock) {
    this.url = Objects.requireNonNull(url, "url");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.signed = signed;
    this.attempts = attempts;
    this.pause = pause;
    this.clock = clock;
  }

  /** A node that sends the secret in its header, and tries up to 5 times, 200 ms apart. */
  public static SimulatedFlowCallbacks to(URI callbackUrl, String secret) {
    return new SimulatedFlowCallbacks(callbackUrl, secret, false, 5, Duration.ofMillis(200), Clock.systemUTC());
  }

  /** The same node, signing each attempt (X-Callback-Timestamp, X-Callback-Signature) instead of sending the secret. */
  public SimulatedFlowCallbacks signed() {
    return new SimulatedFlowCallbacks(url, secret, true, attempts, pause, clock);
  }

  /** The same node with its own retry setting: {@code attempts} in all, {@code pause} apart. */
  public SimulatedFlowCallbacks retrying(int attempts, Duration pause) {
    if (attempts < 1) throw new IllegalArgumentException("at least one attempt");
    return new SimulatedFlowCallbacks(url, secret, signed, attempts, pause, clock);
  }

  /** The same node on another clock, to sign with a timestamp of another time. */
  public SimulatedFlowCallbacks at(Clock clock) {
    return new SimulatedFlowCallbacks(url, secret, signed, attempts, pause, clock);
  }

  /** Posts a decision for the default message name, {@value FlowCallbackVerifier#DEFAULT_MESSAGE_NAME}. */
  public Delivery decide(String correlationKey, String messageId, Map<String, ?> variables) {
    return decide(FlowCallbackVerifier.DEFAULT_MESSAGE_NAME, correlationKey, messageId, variables);
  }

  public Delivery decide(String messageName, String correlationKey, String messageId, Map<String, ?> variables) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("messageName", messageName);
    body.put("correlationKey", correlationKey);
    body.put("messageId", messageId);
    body.put("variables", variables);
    try {
      return send(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the variables cannot be written as JSON", e);
    }
  }

  /** Posts these exact bytes, retrying as for a decision: for bodies a flow author got wrong. */
  public Delivery send(byte[] body) {
    List<Attempt> done = new ArrayList<>();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      int status = once(body);
      done.add(new Attempt(status));
      if (status >= 200 && status < 500) break;
      if (attempt < attempts) sleep();
    }
    return new Delivery(List.copyOf(done));
  }

  private int once(byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signed) {
      String timestamp = Long.toString(clock.instant().getEpochSecond());
      request.header(FlowCallbackVerifier.TIMESTAMP, timestamp)
          .header(FlowCallbackVerifier.SIGNATURE, FlowCallbackVerifier.signature(secret, timestamp, body));
    } else {
      request.header(FlowCallbackVerifier.SECRET, secret);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException noAnswer) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void sleep() {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For a test's own forged requests: the body of a decision as this node would send it. */
  public static byte[] decisionBody(String correlationKey, String messageId, Map<String, ?> variables) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("correlationKey", correlationKey);
    body.put("messageId", messageId);
    body.put("variables", variables);
    try {
      return JSON.writeValueAsString(body).getBytes(UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the variables cannot be written as JSON", e);
    }
  }
}
