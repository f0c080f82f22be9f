package io.github.feishuapproval.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerdict;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.SeenEvents;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.testsupport.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The event pushes seen, shared through a real redis-server by stores standing for several replicas. */
class RedisSeenEventsTest {

  private static final String APP_ID = "cli_store_seen_0001";
  private static final String TOKEN = "verification-token-seen-3c1d";
  private static final String KEY = "encrypt-key-seen-8e20";
  private static RedisServer redis;

  private final List<LettuceConnectionFactory> factories = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @AfterEach
  void flushAndClose() {
    plain().getConnectionFactory().getConnection().serverCommands().flushAll();
    factories.forEach(LettuceConnectionFactory::destroy);
    factories.clear();
  }

  @Test
  void anIdIsNewOnceAcrossReplicasUntilForgotten() {
    SeenEvents one = store("p").seenEvents();
    SeenEvents other = store("p").seenEvents();

    assertThat(one.firstTime("ticket\ncli_a\nev-1", Duration.ofMinutes(10)).toCompletableFuture().join()).isTrue();
    assertThat(other.firstTime("ticket\ncli_a\nev-1", Duration.ofMinutes(10)).toCompletableFuture().join()).isFalse();
    assertThat(other.firstTime("ticket\ncli_a\nev-2", Duration.ofMinutes(10)).toCompletableFuture().join()).isTrue();
    other.forget("ticket\ncli_a\nev-1").toCompletableFuture().join();
    assertThat(one.firstTime("ticket\ncli_a\nev-1", Duration.ofMinutes(10)).toCompletableFuture().join()).isTrue();
  }

  @Test
  void copiesRacingInToThreeReplicasAreNewExactlyOnce() {
    List<SeenEvents> replicas = List.of(store("p").seenEvents(), store("p").seenEvents(), store("p").seenEvents());
    List<CompletableFuture<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      answers.add(replicas.get(i % 3).firstTime("request\nrace", Duration.ofMinutes(10)).toCompletableFuture());
    }

    assertThat(answers.stream().map(CompletableFuture::join).filter(Boolean::booleanValue)).hasSize(1);
  }

  @Test
  void eachIdIsOneKeyUnderThePrefixThatExpiresWithItsLifetime() {
    store("hr-workers").seenEvents().firstTime("request\n1700000000\nnonce\nsig", Duration.ofMinutes(10))
        .toCompletableFuture().join();

    var keys = plain().keys("*");
    assertThat(keys).singleElement().asString().matches("hr-workers:event-seen:[0-9a-f]{64}");
    long ttl = plain().getExpire(keys.iterator().next(), TimeUnit.SECONDS);
    assertThat(ttl).isPositive().isLessThanOrEqualTo(600);
  }

  @Test
  void aPushReplayedToAnotherReplicaIsRefusedAndFeishusRetryThereIsADuplicate() {
    EventSubscription subscription = new EventSubscription(APP_ID, TOKEN, Optional.of(KEY));
    EventVerifier one = new EventVerifier(Clock.systemUTC(), store("p").seenEvents(), Duration.ofSeconds(3));
    EventVerifier other = new EventVerifier(Clock.systemUTC(), store("p").seenEvents(), Duration.ofSeconds(3));
    String event = FeishuEventPushes.appTicketEventV1(APP_ID, "ticket-seen", TOKEN, "ev-replica");
    FeishuEventPushes.Push push = FeishuEventPushes.push(event, Optional.of(KEY), java.time.Instant.now());

    assertThat(one.verify(subscription, push.bytes(), push.headers())).isInstanceOf(EventVerdict.AppTicket.class);
    assertThat(other.verify(subscription, push.bytes(), push.headers()))
        .isInstanceOfSatisfying(EventVerdict.Refused.class, refused -> assertThat(refused.status()).isEqualTo(409));
    FeishuEventPushes.Push retry = FeishuEventPushes.push(event, Optional.of(KEY), java.time.Instant.now());
    assertThat(other.verify(subscription, retry.bytes(), retry.headers()))
        .isEqualTo(new EventVerdict.Duplicate("ev-replica"));
  }

  @Test
  void anUnreachableRedisFailsTheCheckWithinTheStoresTimeout() {
    SeenEvents unreachable = store(1, "p").seenEvents();

    assertThatThrownBy(() -> unreachable.firstTime("request\nx", Duration.ofMinutes(10)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
  }

  private RedisStore store(String prefix) {
    return store(redis.port(), prefix);
  }

  private RedisStore store(int port, String prefix) {
    LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    factory.afterPropertiesSet();
    factory.start();
    factories.add(factory);
    return new RedisStore(factory, prefix, Duration.ofSeconds(2), new SimpleMeterRegistry());
  }

  private StringRedisTemplate plain() {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
    factory.afterPropertiesSet();
    factory.start();
    factories.add(factory);
    return new StringRedisTemplate(factory);
  }
}
