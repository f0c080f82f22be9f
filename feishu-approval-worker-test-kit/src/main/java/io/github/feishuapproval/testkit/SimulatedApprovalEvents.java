package io.github.feishuapproval.testkit;

import io.github.feishuapproval.testsupport.FeishuEventPushes;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feishu Approval's events as the simulator pushes them: an {@code approval_instance} event when an instance's status
 * changes and an {@code approval_task} event when a task's does, to each app subscribed to the instance's approval code
 * whose event request URL is known; or one a test pushes on demand. Each push is a v1 event, encrypted and signed with
 * the app's Encrypt Key when it has one, signed afresh for every attempt; or, for an app on its long connection, plain
 * JSON to one of its open connections ({@link SimulatedLongConnections#send}). One at a time and in order: a push not
 * answered 200 is pushed again after each of {@link #retryDelays} (Feishu's 15 s, 5 min, 1 h, 6 h, shortened), and
 * later events wait for it. Subscriptions and URLs outlast {@link FeishuSimulator#reset()}, as Feishu's console does.
 */
public final class SimulatedApprovalEvents implements AutoCloseable {

  /**
   * Where an app's events go, with the keys of its event subscription; an empty key pushes plain JSON, unsigned. With
   * {@code longConnection}, each event goes as plain JSON to one of the app's open long connections instead.
   */
  public record Target(URI url, String verificationToken, Optional<String> encryptKey, boolean longConnection) {

    public Target(URI url, String verificationToken, Optional<String> encryptKey) {
      this(url, verificationToken, encryptKey, false);
    }

    /** The app's events go over its long connections, as plain v1 JSON carrying this token (may be empty). */
    public static Target longConnection(String verificationToken) {
      return new Target(null, verificationToken, Optional.empty(), true);
    }
  }

  /**
   * One event and every answer the worker gave it, in order: the HTTP status of a push, or the code of a long
   * connection's acknowledgement; -1 where it could not be reached or gave none in time.
   */
  public record Delivery(String eventId, String appId, String eventType, String instanceCode, String status,
      List<Integer> answers) {
    public boolean acknowledged() {
      return !answers.isEmpty() && answers.getLast() == 200;
    }
  }

  private final Clock clock;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile List<Duration> retryDelays = List.of(Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(4));
  private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "feishu-simulator-approval-events");
    thread.setDaemon(true);
    return thread;
  });

  private final SimulatedLongConnections longConnections;

  SimulatedApprovalEvents(Clock clock, SimulatedLongConnections longConnections) {
    this.clock = clock;
    this.longConnections = longConnections;
  }

  /** The app's event request URL and keys, or its long connections, as set in its developer console. */
  public void target(String appId, Target target) {
    targets.put(appId, target);
  }

  /** How long Feishu waits before each push again of an event not answered 200; their count is the retries. */
  public void retryDelays(Duration... delays) {
    retryDelays = List.of(delays);
  }

  /** What {@code POST .../approvals/{code}/subscribe} does: true the first time, false (1390007) after. */
  public boolean subscribe(String appId, String approvalCode) {
    return subscriptions.add(appId + '\n' + approvalCode);
  }

  public boolean subscribed(String appId, String approvalCode) {
    return subscriptions.contains(appId + '\n' + approvalCode);
  }

  /** Pushes an event of {@code eventType} with these fields of its {@code event} to the app; returns its event id. */
  public String push(String appId, String eventType, Map<String, ?> fields) {
    Target target = targets.get(appId);
    if (target == null) throw new IllegalStateException("no event request URL is set for app " + appId);
    String eventId = "sim-ev-" + sequence.incrementAndGet();
    Delivery delivery = new Delivery(eventId, appId, eventType, String.valueOf(fields.get("instance_code")),
        String.valueOf(fields.get("status")), new CopyOnWriteArrayList<>());
    deliveries.put(eventId, delivery);
    order.add(eventId);
    String json = FeishuEventPushes.approvalEventV1(eventType, appId, target.verificationToken(), eventId, fields,
        clock.instant());
    enqueue(delivery, target, json);
    return eventId;
  }

  /** Pushes an event again, the same body under a fresh signature, as Feishu may even after a 200 (at least once). */
  public void pushAgain(String eventId) {
    Delivery delivery = deliveries.get(eventId);
    enqueue(delivery, targets.get(delivery.appId()), bodies.get(eventId));
  }

  private void enqueue(Delivery delivery, Target target, String json) {
    bodies.put(delivery.eventId(), json);
    pending.incrementAndGet();
    pusher.execute(() -> {
      try {
        for (int attempt = 0; ; attempt++) {
          int status = target.longConnection() ? longConnections.send(delivery.appId(), json) : post(target, json);
          delivery.answers().add(status);
          if (status == 200 || attempt >= retryDelays.size()) return;
          Thread.sleep(retryDelays.get(attempt).toMillis());
        }
      } catch (InterruptedException closed) {
        Thread.currentThread().interrupt();
      } finally {
        pending.decrementAndGet();
      }
    });
  }

  private int post(Target target, String json) {
    try {
      return FeishuEventPushes.post(target.url(), FeishuEventPushes.push(json, target.encryptKey(), clock.instant()))
          .statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception unreachable) {
      return -1;
    }
  }

  /** An instance changed from {@code before} (null when new): each changed task, then the instance, is pushed. */
  void changed(String appId, SimulatedApprovalV4.Instance before, SimulatedApprovalV4.Instance after) {
    if (!subscribed(appId, after.approvalCode()) || !targets.containsKey(appId)) return;
    Map<String, String> was = new LinkedHashMap<>();
    if (before != null) before.tasks().forEach(t -> was.put(t.id(), t.status()));
    long now = clock.millis();
    for (SimulatedApprovalV4.Task task : after.tasks()) {
      if (task.status().equals(was.get(task.id()))) continue;
      push(appId, "approval_task", fields(after, task.status(), now, Map.of("task_id", task.id(), "user_id",
          task.userId(), "open_id", "ou_" + task.userId(), "def_key", task.nodeId(), "custom_key", "")));
    }
    if (before == null || !before.status().equals(after.status())) {
      push(appId, "approval_instance", fields(after, after.status(), now, Map.of("instance_operate_time",
          Long.toString(now))));
    }
  }

  private static Map<String, Object> fields(SimulatedApprovalV4.Instance instance, String status, long now,
      Map<String, String> more) {
    Map<String, Object> fields = new LinkedHashMap<>(more);
    fields.put("approval_code", instance.approvalCode());
    fields.put("instance_code", instance.code());
    fields.put("status", status);
    fields.put("operate_time", Long.toString(now));
    if (!instance.uuid().isEmpty()) fields.put("uuid", instance.uuid());
    return fields;
  }

  /** Every event pushed, in the order they were first pushed. */
  public List<Delivery> deliveries() {
    List<Delivery> all = new ArrayList<>();
    order.forEach(id -> all.add(deliveries.get(id)));
    return all;
  }

  public Delivery delivery(String eventId) {
    return deliveries.get(eventId);
  }

  /** Waits until no push is waiting or being retried; false when that took longer than {@code atMost}. */
  public boolean awaitSettled(Duration atMost) throws InterruptedException {
    long end = System.nanoTime() + atMost.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > end) return false;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return true;
  }

  /** Forgets the events pushed; subscriptions and targets stay. */
  void reset() {
    deliveries.clear();
    order.clear();
    bodies.clear();
  }

  @Override
  public void close() {
    pusher.shutdownNow();
  }
}
