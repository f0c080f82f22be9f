package io.github.feishuapproval.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the job endpoints of Camunda 8.8's orchestration cluster REST API, as Camunda documents them:
 * {@code POST /v2/jobs/activation} with long polling (an activation that finds no job is held until one comes or its
 * {@code requestTimeout} runs out), {@code POST /v2/jobs/{jobKey}/completion}, {@code /failure} and {@code /error}
 * answered 204, refusals as {@code application/problem+json} (404 NOT_FOUND, 409 INVALID_STATE), and
 * {@code GET /v2/topology} for the client's health check. It records every activation and every command, with what
 * was open when each command arrived, so tests can see whether a command waited behind long polls.
 */
public final class RestJobGateway implements AutoCloseable {

  /** One activation request: which job type and tenants it asked for, when it was open, and what it handed out. */
  public record Activation(String type, List<String> tenantIds, List<String> fetchVariables, long requestTimeoutMillis,
      long openedNanos, long answeredNanos, int jobs) {}

  /**
   * One job command as the gateway received it. {@code pollsOpen} are the job types that had an activation open when
   * it arrived; {@code sinceActivationNanos} is how long after the job was handed out it arrived.
   */
  public record Command(long jobKey, String kind, JsonNode body, int status, Set<String> pollsOpen,
      long sinceActivationNanos) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMMAND = Pattern.compile("/v2/jobs/(\\d+)/(completion|failure|error)");
  private static final Duration LONGEST_POLL = Duration.ofMinutes(5);

  static {
    // a gateway answers without waiting for the client's delayed ACK; the JDK's server would wait up to 40 ms
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final StandInJobs jobs = new StandInJobs();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rest-gateway");
    t.setDaemon(true);
    return t;
  });
  private final Map<Long, String> openPolls = new ConcurrentHashMap<>();
  private final AtomicLong pollIds = new AtomicLong();
  private final List<Activation> activations = new CopyOnWriteArrayList<>();
  private final List<Command> commands = new CopyOnWriteArrayList<>();
  private final Map<Long, Long> activatedAt = new ConcurrentHashMap<>();

  public RestJobGateway() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("the REST gateway stand-in could not open a port", e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::dispatch);
  }

  public RestJobGateway start() {
    server.start();
    return this;
  }

  /** The address for {@code camunda.client.rest-address}. */
  public URI restAddress() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A job of {@code type} in the default tenant, with three retries, waiting for a worker. */
  public long createJob(String type, Map<String, Object> variables, Map<String, String> headers) {
    return createJob(type, "<default>", variables, headers, 3);
  }

  public long createJob(String type, String tenantId, Map<String, Object> variables, Map<String, String> headers,
      int retries) {
    return jobs.add(new StandInJobs.NewJob(type, tenantId, variables, headers, retries));
  }

  /** The job's lock runs out and another worker takes it: it completes it, or fails it into an incident. */
  public void handToAnotherWorker(long jobKey, boolean completes) {
    jobs.handToAnotherWorker(jobKey, completes ? StandInJobs.State.COMPLETED : StandInJobs.State.FAILED);
  }

  /** A job failed with a backoff is activatable again at once. */
  public void skipBackoff(long jobKey) {
    jobs.skipBackoff(jobKey);
  }

  /** Whether the job is still waiting to be handed out (never taken, or handed back). */
  public boolean isActivatable(long jobKey) {
    return jobs.state(jobKey) == StandInJobs.State.ACTIVATABLE;
  }

  public List<Activation> activations() {
    return List.copyOf(activations);
  }

  /** Job types with an activation open right now. */
  public Set<String> openPolls() {
    return new LinkedHashSet<>(openPolls.values());
  }

  public List<Command> commands() {
    return List.copyOf(commands);
  }

  public List<Command> commandsFor(long jobKey) {
    return commands.stream().filter(c -> c.jobKey() == jobKey).toList();
  }

  /** Waits for the {@code n}th command (1 for the first) about {@code jobKey}. */
  public Command awaitCommand(long jobKey, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Command> seen = commandsFor(jobKey);
      if (seen.size() >= n) return seen.get(n - 1);
      sleep(10);
    }
    throw new AssertionError("no command number " + n + " for job " + jobKey + " within " + timeout + "; activations: "
        + activations.size() + ", polls open: " + openPolls());
  }

  public Command awaitCommand(long jobKey, Duration timeout) {
    return awaitCommand(jobKey, 1, timeout);
  }

  /** Waits until every one of {@code types} has an activation open. */
  public void awaitPolling(Set<String> types, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!openPolls().containsAll(types)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not every job type polls within " + timeout + ": open " + openPolls());
      }
      sleep(10);
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      JsonNode body = readBody(exchange.getRequestBody());
      Matcher command = COMMAND.matcher(path);
      if (exchange.getRequestMethod().equals("POST") && path.equals("/v2/jobs/activation")) {
        activate(exchange, body);
      } else if (exchange.getRequestMethod().equals("POST") && command.matches()) {
        command(exchange, Long.parseLong(command.group(1)), command.group(2), body);
      } else if (exchange.getRequestMethod().equals("GET") && path.equals("/v2/topology")) {
        respond(exchange, 200, "application/json", topology());
      } else {
        problem(exchange, new StandInJobs.Rejection(404, "NOT_FOUND", "No endpoint " + path + " in this stand-in"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void activate(HttpExchange exchange, JsonNode request) throws IOException, InterruptedException {
    String type = request.path("type").asText();
    List<String> tenants = strings(request.path("tenantIds"));
    long requestTimeout = request.path("requestTimeout").asLong(0);
    Duration longPoll = requestTimeout > 0 ? Duration.ofMillis(requestTimeout) : Duration.ofSeconds(10);
    if (longPoll.compareTo(LONGEST_POLL) > 0) longPoll = LONGEST_POLL;
    long poll = pollIds.incrementAndGet();
    long opened = System.nanoTime();
    openPolls.put(poll, type);
    List<StandInJobs.Job> taken;
    try {
      taken = jobs.activate(type, new LinkedHashSet<>(tenants.isEmpty() ? List.of("<default>") : tenants),
          Math.max(1, request.path("maxJobsToActivate").asInt(1)),
          Duration.ofMillis(request.path("timeout").asLong(300_000)), request.path("worker").asText(), longPoll);
    } finally {
      openPolls.remove(poll);
    }
    ArrayNode out = JSON.createArrayNode();
    List<String> fetch = strings(request.path("fetchVariable"));
    for (StandInJobs.Job job : taken) {
      activatedAt.put(job.key, System.nanoTime());
      out.add(jobJson(job, fetch));
    }
    activations.add(new Activation(type, tenants, fetch, requestTimeout, opened, System.nanoTime(), taken.size()));
    ObjectNode answer = JSON.createObjectNode();
    answer.set("jobs", out);
    respond(exchange, 200, "application/json", answer.toString());
  }

  private void command(HttpExchange exchange, long key, String kind, JsonNode body) throws IOException {
    long arrived = System.nanoTime();
    Set<String> polling = openPolls();
    Optional<StandInJobs.Rejection> rejection = jobs.apply(key, kind, body);
    long since = arrived - activatedAt.getOrDefault(key, arrived);
    commands.add(new Command(key, kind, body, rejection.map(StandInJobs.Rejection::status).orElse(204), polling,
        since));
    if (rejection.isPresent()) {
      problem(exchange, rejection.get());
    } else {
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private static ObjectNode jobJson(StandInJobs.Job job, List<String> fetch) {
    ObjectNode node = JSON.createObjectNode()
        .put("type", job.spec.type())
        .put("processDefinitionId", "stand-in-process")
        .put("processDefinitionVersion", 1)
        .put("elementId", "Task")
        .put("worker", job.worker)
        .put("retries", job.retries)
        .put("deadline", System.currentTimeMillis() + (job.deadlineNanos - System.nanoTime()) / 1_000_000)
        .put("tenantId", job.spec.tenantId())
        .put("jobKey", Long.toString(job.key))
        .put("processInstanceKey", Long.toString(job.key + 1_000_000))
        .put("processDefinitionKey", "2251799813685000")
        .put("elementInstanceKey", Long.toString(job.key + 2_000_000))
        .put("kind", "BPMN_ELEMENT")
        .put("listenerEventType", "UNSPECIFIED");
    node.set("customHeaders", JSON.valueToTree(job.spec.headers()));
    ObjectNode variables = node.putObject("variables");
    job.spec.variables().forEach((name, value) -> {
      if (fetch.isEmpty() || fetch.contains(name)) variables.set(name, JSON.valueToTree(value));
    });
    node.putArray("tags");
    return node;
  }

  private static String topology() {
    return "{\"brokers\":[{\"nodeId\":0,\"host\":\"127.0.0.1\",\"port\":26501,\"partitions\":[{\"partitionId\":1,"
        + "\"role\":\"leader\",\"health\":\"healthy\"}],\"version\":\"8.8.14\"}],\"clusterSize\":1,"
        + "\"partitionsCount\":1,\"replicationFactor\":1,\"gatewayVersion\":\"8.8.14\",\"lastCompletedChangeId\":\"-1\"}";
  }

  private static void problem(HttpExchange exchange, StandInJobs.Rejection rejection) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("type", "about:blank").put("title", rejection.title())
        .put("status", rejection.status()).put("detail", rejection.detail())
        .put("instance", exchange.getRequestURI().getPath());
    respond(exchange, rejection.status(), "application/problem+json", body.toString());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static JsonNode readBody(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (bytes.length == 0) return JSON.createObjectNode();
    JsonNode node = JSON.readTree(bytes);
    return node == null ? JSON.createObjectNode() : node;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
