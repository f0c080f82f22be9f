package io.github.feishuapproval.connector;

import io.github.feishuapproval.feishu.QuotaRedis;
import io.github.feishuapproval.feishu.QuotaScript;
import io.github.feishuapproval.feishu.SharedQuotaStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared quota's Redis commands over Lettuce itself, relocated inside the connector's jar, since the runtime's
 * Spring cannot be shared with it. One connection, made when first needed and again after a failed attempt; once made,
 * Lettuce reconnects it by itself. Every command fails after the store's timeout.
 */
final class LettuceQuotaRedis implements QuotaRedis, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LettuceQuotaRedis.class);

  private final RedisSettings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final Map<QuotaScript, String> digests = new ConcurrentHashMap<>();
  private CompletableFuture<StatefulRedisConnection<String, String>> connection;

  LettuceQuotaRedis(RedisSettings settings) {
    this.settings = settings;
    this.uri = RedisURI.create(settings.url());
    settings.password().ifPresent(password ->
        uri.setCredentialsProvider(new StaticCredentialsProvider(uri.getUsername(), password.toCharArray())));
    uri.setTimeout(settings.timeout());
    // no latency metrics: they would load the runtime's HdrHistogram, which is not the jar's
    this.resources = DefaultClientResources.builder().commandLatencyRecorder(CommandLatencyRecorder.disabled())
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
        .build());
  }

  /**
   * The quota shared through this Redis, once Redis has said what it is; a Redis out of reach at the start is used
   * once it answers.
   *
   * @throws IllegalStateException when Redis is too old for the quota's scripts
   */
  SharedQuotaStore quotas(int callsPerWindow, Duration window) {
    Optional<Map<String, String>> server = serverInfo();
    String version = server.map(info -> info.getOrDefault("redis_version", "")).orElse("");
    if (!SharedQuotaStore.runsOn(version)) {
      throw new IllegalStateException("the Feishu connector's shared quota needs Redis "
          + SharedQuotaStore.OLDEST_REDIS_MAJOR + ".0 or newer, whose scripts may write after reading the server's "
          + "clock, but " + settings.server() + " is Redis " + version + ": upgrade Redis, or set "
          + ConnectorSettings.STORE_TYPE + "=memory and divide the quota among the replicas");
    }
    Duration uptime = server.map(info -> info.getOrDefault("uptime_in_seconds", ""))
        .filter(seconds -> seconds.matches("\\d+")).map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
        .orElse(server.isPresent() ? Duration.ZERO : null);
    log.info("Feishu quota shared through Redis at {} under key prefix {}", settings.server(), settings.keyPrefix());
    return new SharedQuotaStore(this, settings.keyPrefix(), callsPerWindow, window, uptime);
  }

  @Override
  public CompletionStage<Object> run(QuotaScript script, List<String> keys, List<String> args) {
    ScriptOutputType type = script.answersList() ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
    String[] keyArray = keys.toArray(String[]::new);
    String[] argArray = args.toArray(String[]::new);
    return commands().thenCompose(redis -> {
      String digest = digests.computeIfAbsent(script, s -> redis.digest(s.source()));
      CompletionStage<Object> cached = redis.evalsha(digest, type, keyArray, argArray);
      // a Redis that restarted or flushed its scripts has forgotten it: sent whole, which loads it again
      return cached.handle((answer, failure) -> failure == null ? CompletableFuture.completedFuture(answer)
          : noScript(failure) ? redis.<Object>eval(script.source(), type, keyArray, argArray).toCompletableFuture()
          : CompletableFuture.<Object>failedFuture(failure)).thenCompose(answer -> answer);
    });
  }

  @Override
  public CompletionStage<Long> removeMember(String operation, String sortedSet, String member) {
    return commands().thenCompose(redis -> redis.zrem(sortedSet, member));
  }

  @Override
  public void close() {
    // closes the connection too
    client.shutdown(0, 2, TimeUnit.SECONDS);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** {@code INFO server} as its fields, or empty when Redis could not be reached within the timeout. */
  private Optional<Map<String, String>> serverInfo() {
    try {
      String info = commands().thenCompose(redis -> redis.info("server")).toCompletableFuture()
          .get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
      Map<String, String> fields = new java.util.HashMap<>();
      info.lines().filter(line -> line.indexOf(':') > 0)
          .forEach(line -> fields.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1)
              .trim()));
      return Optional.of(fields);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception unreachable) {
      // the kind of failure only: a message may quote what the server was sent
      Throwable cause = unreachable.getCause() == null ? unreachable : unreachable.getCause();
      log.warn("Redis at {} did not answer at the start ({}); the Feishu quota is shared once it does",
          settings.server(), cause.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private synchronized CompletableFuture<RedisAsyncCommands<String, String>> commands() {
    if (connection == null || connection.isCompletedExceptionally()) {
      connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
    }
    return connection.thenApply(StatefulRedisConnection::async);
  }

  private static boolean noScript(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    return cause instanceof RedisNoScriptException;
  }
}
