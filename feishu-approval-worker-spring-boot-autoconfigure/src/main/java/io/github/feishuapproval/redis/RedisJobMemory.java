package io.github.feishuapproval.redis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.worker.JobMemory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The memory of done jobs shared by every replica: a job that returns to any of them, or to a restarted one, after
 * Feishu carried it out is completed from here, and the failure count behind its backoff goes on where it was.
 */
public final class RedisJobMemory implements JobMemory {

  private static final RedisScript<Long> COUNT_FAILURE = RedisScript.of(
      "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n", Long.class);
  private static final RedisScript<Long> REMEMBER = RedisScript.of(
      "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return redis.call('DEL', KEYS[2])", Long.class);
  private static final TypeReference<Map<String, Object>> VARIABLES = new TypeReference<>() {};

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;
  private final ObjectMapper json;

  RedisJobMemory(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls, ObjectMapper json) {
    this.redis = redis;
    this.keys = keys;
    this.calls = calls;
    this.json = json;
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> completionOf(String appId, long jobKey) {
    return calls.run("memory_read", redis.opsForValue().get(keys.completion(appId, jobKey))
            .map(Optional::of).defaultIfEmpty(Optional.empty()))
        .thenApply(stored -> stored.map(this::read));
  }

  @Override
  public CompletionStage<Void> rememberCompletion(String appId, long jobKey, Map<String, Object> variables,
      Duration keepFor) {
    String value;
    try {
      value = json.writeValueAsString(variables);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return calls.run("memory_write", redis.execute(REMEMBER, List.of(keys.completion(appId, jobKey),
        keys.failures(appId, jobKey)), List.of(value, Long.toString(keepFor.toMillis()))).next())
        .thenApply(ignored -> null);
  }

  @Override
  public CompletionStage<Integer> recordFailure(String appId, long jobKey, Duration keepFor) {
    return calls.run("memory_failure", redis.execute(COUNT_FAILURE, List.of(keys.failures(appId, jobKey)),
        List.of(Long.toString(keepFor.toMillis()))).next()).thenApply(Long::intValue);
  }

  /** Nothing to do: what is kept expires by itself, and a round trip per job to delete it early is not worth it. */
  @Override
  public CompletionStage<Void> forget(String appId, long jobKey) {
    return CompletableFuture.completedFuture(null);
  }

  private Map<String, Object> read(String stored) {
    try {
      return json.readValue(stored, VARIABLES);
    } catch (Exception e) {
      throw new IllegalStateException("a remembered completion is not readable", e);
    }
  }
}
