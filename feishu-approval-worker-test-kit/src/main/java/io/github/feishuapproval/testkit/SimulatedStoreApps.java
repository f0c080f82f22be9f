package io.github.feishuapproval.testkit;

import io.github.feishuapproval.testsupport.FeishuEventPushes;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feishu's side of store (ISV) apps, as the simulator plays it: app_tickets pushed to the app's event request URL,
 * encrypted and signed, every time the app asks for a resend and whenever a test says so; app tokens issued only for a
 * valid ticket; tenant tokens issued per customer tenant that installed the app, each good for its tenant only.
 */
final class SimulatedStoreApps {

  /** A store app as registered in Feishu's developer console. */
  record StoreApp(String appId, String secret, String verificationToken, Optional<String> encryptKey) {}

  /** Whose a tenant token is. */
  record TenantOwner(String appId, String tenantKey) {}

  /** The answer the simulator gives a token request: a Feishu code, and the token with its lifetime when it is 0. */
  record Answer(int code, String msg, String field, String token, long expire) {}

  private final Clock clock;
  private final Map<String, StoreApp> apps = new ConcurrentHashMap<>();
  private final Map<String, URI> endpoints = new ConcurrentHashMap<>();
  private final Map<String, List<String>> waitingPushes = new ConcurrentHashMap<>();
  private final Map<String, Instant> tickets = new ConcurrentHashMap<>();
  private final Map<String, String> ticketApps = new ConcurrentHashMap<>();
  private final Map<String, Instant> appTokens = new ConcurrentHashMap<>();
  private final Map<String, String> appTokenApps = new ConcurrentHashMap<>();
  private final Map<String, TenantOwner> tenantTokens = new ConcurrentHashMap<>();
  private final Map<String, Instant> tenantTokenExpiry = new ConcurrentHashMap<>();
  private final Set<String> installed = ConcurrentHashMap.newKeySet();
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private final AtomicLong resends = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Integer> pushAnswers = new CopyOnWriteArrayList<>();
  private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "feishu-simulator-pushes");
    thread.setDaemon(true);
    return thread;
  });

  SimulatedStoreApps(Clock clock) {
    this.clock = clock;
  }

  void register(StoreApp app, String... tenantKeys) {
    apps.put(app.appId(), app);
    for (String tenant : tenantKeys) installed.add(app.appId() + "/" + tenant);
  }

  boolean knows(String appId) {
    return apps.containsKey(appId);
  }

  /** Where the worker listens for the app's pushes; pushes made before it was known are delivered now. */
  void endpoint(String appId, URI eventUrl) {
    endpoints.put(appId, eventUrl);
    List<String> waiting = waitingPushes.remove(appId);
    if (waiting != null) waiting.forEach(ticket -> deliver(appId, ticket));
  }

  /** Feishu pushes a fresh ticket to the app's request URL, as it does every hour. Returns the ticket. */
  String pushTicket(String appId) {
    String ticket = "ticket-" + UUID.randomUUID();
    tickets.put(ticket, clock.instant().plus(Duration.ofHours(3)));
    ticketApps.put(ticket, appId);
    issued.add(ticket);
    if (endpoints.containsKey(appId)) {
      deliver(appId, ticket);
    } else {
      waitingPushes.computeIfAbsent(appId, a -> new CopyOnWriteArrayList<>()).add(ticket);
    }
    return ticket;
  }

  private void deliver(String appId, String ticket) {
    StoreApp app = apps.get(appId);
    String event = FeishuEventPushes.appTicketEventV1(appId, ticket, app.verificationToken(),
        "sim-" + sequence.incrementAndGet());
    pusher.execute(() -> {
      try {
        pushAnswers.add(FeishuEventPushes.post(endpoints.get(appId),
            FeishuEventPushes.push(event, app.encryptKey(), clock.instant())).statusCode());
      } catch (Exception unreachable) {
        pushAnswers.add(-1);
      }
    });
  }

  /** Every ticket issued stops being valid, as three hours after their push. */
  void expireTickets(String appId) {
    ticketApps.forEach((ticket, app) -> {
      if (app.equals(appId)) tickets.remove(ticket);
    });
  }

  /** Every app token and tenant token of the app stops being valid, as when they reach their expiry. */
  void expireTokens(String appId) {
    appTokenApps.forEach((token, app) -> {
      if (app.equals(appId)) appTokens.remove(token);
    });
    tenantTokens.forEach((token, owner) -> {
      if (owner.appId().equals(appId)) tenantTokenExpiry.remove(token);
    });
  }

  /** The tenant token of one customer tenant stops being valid, as Feishu revokes it. */
  void revokeTenantTokens(String appId, String tenantKey) {
    tenantTokens.forEach((token, owner) -> {
      if (owner.equals(new TenantOwner(appId, tenantKey))) tenantTokenExpiry.remove(token);
    });
  }

  Answer resend(JsonNode body) {
    StoreApp app = apps.get(body.path("app_id").asText());
    if (app == null || !app.secret().equals(body.path("app_secret").asText())) {
      return new Answer(10015, "app secret invalid", null, null, 0);
    }
    resends.incrementAndGet();
    pushTicket(app.appId());
    return new Answer(0, "ok", null, null, 0);
  }

  Answer appAccessToken(JsonNode body) {
    StoreApp app = apps.get(body.path("app_id").asText());
    if (app == null || !app.secret().equals(body.path("app_secret").asText())) {
      return new Answer(10015, "app secret invalid", null, null, 0);
    }
    String ticket = body.path("app_ticket").asText("");
    Instant valid = tickets.get(ticket);
    if (valid == null || !app.appId().equals(ticketApps.get(ticket)) || !clock.instant().isBefore(valid)) {
      return new Answer(10012, "app ticket invalid", null, null, 0);
    }
    String token = "a-sim" + UUID.randomUUID().toString().replace("-", "");
    appTokens.put(token, clock.instant().plusSeconds(7140));
    appTokenApps.put(token, app.appId());
    issued.add(token);
    return new Answer(0, "ok", "app_access_token", token, 7140);
  }

  Answer tenantAccessToken(JsonNode body) {
    String appToken = body.path("app_access_token").asText("");
    Instant valid = appTokens.get(appToken);
    if (valid == null || !clock.instant().isBefore(valid)) {
      return new Answer(99991664, "invalid app access token", null, null, 0);
    }
    String appId = appTokenApps.get(appToken);
    String tenant = body.path("tenant_key").asText("");
    if (!installed.contains(appId + "/" + tenant)) {
      return new Answer(99991665, "invalid tenant code", null, null, 0);
    }
    String token = "t-sim" + UUID.randomUUID().toString().replace("-", "");
    tenantTokens.put(token, new TenantOwner(appId, tenant));
    tenantTokenExpiry.put(token, clock.instant().plusSeconds(7140));
    issued.add(token);
    return new Answer(0, "ok", "tenant_access_token", token, 7140);
  }

  /** The owner of a valid tenant token of a store app, if the token is one. */
  Optional<TenantOwner> ownerOf(String token) {
    Instant valid = tenantTokenExpiry.get(token);
    if (valid == null || !clock.instant().isBefore(valid)) return Optional.empty();
    return Optional.ofNullable(tenantTokens.get(token));
  }

  /** The owner of a tenant token, valid or not. */
  Optional<TenantOwner> issuedTo(String token) {
    return Optional.ofNullable(tenantTokens.get(token));
  }

  long resends() {
    return resends.get();
  }

  /** Every ticket and token handed out, for checks that none of them reaches a log. */
  List<String> issued() {
    return new ArrayList<>(issued);
  }

  /** The HTTP status the worker answered each push with, in order; -1 where it could not be reached. */
  List<Integer> pushAnswers() {
    return List.copyOf(pushAnswers);
  }

  void close() {
    pusher.shutdownNow();
  }
}
