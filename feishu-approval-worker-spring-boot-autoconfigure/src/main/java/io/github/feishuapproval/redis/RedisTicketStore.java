package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.TicketStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Store apps' tickets shared by every replica: a ticket Feishu pushed to any of them serves all, kept until it
 * expires. The newest push wins, and a refused ticket is dropped only if no newer one replaced it.
 */
final class RedisTicketStore implements TicketStore {

  /** Keeps the pushed ticket unless the stored one was received later. ARGV: received millis, value, keep millis. */
  private static final RedisScript<Long> PUT = RedisScript.of("""
      local stored = redis.call('GET', KEYS[1])
      if stored and tonumber(string.match(stored, '^(%d+):')) > tonumber(ARGV[1]) then return 0 end
      redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
      return 1""", Long.class);
  private static final RedisScript<Long> DROP = RedisScript.of("""
      local stored = redis.call('GET', KEYS[1])
      if stored and string.sub(stored, string.find(stored, ':') + 1) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0""", Long.class);

  private final ReactiveStringRedisTemplate redis;
  private final RedisKeys keys;
  private final StoreCalls calls;

  RedisTicketStore(ReactiveStringRedisTemplate redis, RedisKeys keys, StoreCalls calls) {
    this.redis = redis;
    this.keys = keys;
    this.calls = calls;
  }

  @Override
  public CompletionStage<Void> put(String appId, StoredTicket ticket) {
    Duration left = Duration.between(Instant.now(), ticket.receivedAt().plus(VALID_FOR));
    if (left.isNegative() || left.isZero()) return java.util.concurrent.CompletableFuture.completedFuture(null);
    return calls.run("ticket_write", redis.execute(PUT, List.of(keys.ticket(appId)), List.of(
        Long.toString(ticket.receivedAt().toEpochMilli()), ticket.value(), Long.toString(left.toMillis()))).next())
        .thenApply(ignored -> null);
  }

  @Override
  public CompletionStage<Optional<StoredTicket>> latest(String appId) {
    return calls.run("ticket_read", redis.opsForValue().get(keys.ticket(appId)).map(Optional::of)
        .defaultIfEmpty(Optional.empty()))
        .thenApply(stored -> stored.map(value -> {
          int colon = value.indexOf(':');
          return new StoredTicket(value.substring(colon + 1),
              Instant.ofEpochMilli(Long.parseLong(value.substring(0, colon))));
        }));
  }

  @Override
  public CompletionStage<Void> drop(String appId, String ticket) {
    return calls.run("ticket_drop", redis.execute(DROP, List.of(keys.ticket(appId)), List.of(ticket)).next())
        .thenApply(ignored -> null);
  }
}
