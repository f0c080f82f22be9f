package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.SeenEvents;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Event pushes seen by any replica: one key per push or event, set only if absent and expiring with its lifetime
 * (SET NX PX), so that a push replayed to another replica, or Feishu's retry reaching one, is known there too.
 */
final class RedisSeenEvents implements SeenEvents {

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;

  RedisSeenEvents(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls) {
    this.redis = redis;
    this.keys = keys;
    this.calls = calls;
  }

  @Override
  public CompletionStage<Boolean> firstTime(String id, Duration lifetime) {
    return calls.run("event_seen", redis.opsForValue().setIfAbsent(keys.seenEvent(id), "1", lifetime)
        .defaultIfEmpty(false));
  }

  @Override
  public CompletionStage<Boolean> seen(String id) {
    return calls.run("event_check", redis.hasKey(keys.seenEvent(id)).defaultIfEmpty(false));
  }

  @Override
  public CompletionStage<Void> forget(String id) {
    return calls.run("event_forget", redis.delete(keys.seenEvent(id))).thenApply(ignored -> null);
  }
}
