package io.github.feishuapproval.redis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.worker.JobIdentity;
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
 * Feishu carried it out is completed from here, and the failure count behind its backoff goes on where it was. A job
 * is claimed (SET NX with the lock's remaining time as expiry) before its call, so two replicas never call for it at
 * once.
 */
public final class RedisJobMemory implements JobMemory {

  private static final RedisScript<Long> COUNT_FAILURE = RedisScript.of(
      "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n", Long.class);
  private static final RedisScript<Long> REMEMBER = RedisScript.of(
      "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return redis.call('DEL', KEYS[2])", Long.class);
  private static final RedisScript<Long> RELEASE = RedisScript.of("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""", Long.class);
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
  public CompletionStage<Boolean> claim(JobIdentity job, String holder, Duration lockLeft) {
    // SET NX PX: at least a millisecond, as Redis refuses an expiry of 0
    Duration expiry = lockLeft.toMillis() < 1 ? Duration.ofMillis(1) : lockLeft;
    return calls.run("memory_claim", redis.opsForValue().setIfAbsent(keys.claim(job), holder, expiry))
        .thenApply(Boolean.TRUE::equals);
  }

  @Override
  public CompletionStage<Void> release(JobIdentity job, String holder) {
    return calls.run("memory_release", redis.execute(RELEASE, List.of(keys.claim(job)), List.of(holder)).next())
        .thenApply(ignored -> null);
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> completionOf(JobIdentity job) {
    return calls.run("memory_read", redis.opsForValue().get(keys.completion(job))
            .map(Optional::of).defaultIfEmpty(Optional.empty()))
        .thenApply(stored -> stored.map(this::read));
  }

  @Override
  public CompletionStage<Void> rememberCompletion(JobIdentity job, Map<String, Object> variables, Duration keepFor) {
    String value;
    try {
      value = json.writeValueAsString(variables);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return calls.run("memory_write", redis.execute(REMEMBER, List.of(keys.completion(job), keys.failures(job)),
        List.of(value, Long.toString(keepFor.toMillis()))).next()).thenApply(ignored -> null);
  }

  @Override
  public CompletionStage<Integer> recordFailure(JobIdentity job, Duration keepFor) {
    return calls.run("memory_failure", redis.execute(COUNT_FAILURE, List.of(keys.failures(job)),
        List.of(Long.toString(keepFor.toMillis()))).next()).thenApply(Long::intValue);
  }

  /** Nothing to do: what is kept expires by itself, and a round trip per job to delete it early is not worth it. */
  @Override
  public CompletionStage<Void> forget(JobIdentity job) {
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
