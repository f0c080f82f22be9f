package io.github.feishuapproval.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.testsupport.RedisServer;
import io.github.feishuapproval.worker.JobIdentity;
import io.github.feishuapproval.worker.JobMemory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The shared store against a real redis-server, with several stores standing for several replicas. */
class RedisStoreTest {

  private static final Duration WINDOW = Duration.ofMillis(500);
  private static final int CALLS = 20;
  private static RedisServer redis;

  private final List<LettuceConnectionFactory> factories = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws InterruptedException {
    redis = RedisServer.start();
    // a Redis up for less than a window holds a new deployment's quota: these tests' windows are shorter than this
    Thread.sleep(1100);
  }

  @BeforeEach
  void aRedisTheDeploymentUsedBefore() {
    // the marker of a Redis that served deployment "p" before: the tests with ten-second windows start without a hold
    plain().opsForValue().set("p:started", "0");
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @AfterEach
  void closeConnections() {
    // the stores' connections first, so that no lease renewal of this test writes a key after the flush
    factories.forEach(LettuceConnectionFactory::destroy);
    factories.clear();
    plain().getConnectionFactory().getConnection().serverCommands().flushAll();
    factories.forEach(LettuceConnectionFactory::destroy);
    factories.clear();
  }

  @Test
  void threeReplicasTogetherNeverTakeMoreThanTheQuotaInAnyWindow() throws Exception {
    List<Long> slots = Collections.synchronizedList(new ArrayList<>());
    List<Thread> replicas = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      QuotaStore quotas = store(redis.port(), "p").quotas(CALLS, WINDOW);
      replicas.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 40; i++) {
          var reservation = quotas.reserve(key("cli_a"), Duration.ofSeconds(10)).toCompletableFuture().join();
          slots.add(slotMicros((QuotaStore.Reservation.Granted) reservation));
        }
      }));
    }
    for (Thread replica : replicas) replica.join();

    List<Long> sorted = new ArrayList<>(slots);
    Collections.sort(sorted);
    assertThat(sorted).hasSize(120);
    // slot i + CALLS comes a window and 1 % after slot i, on Redis's clock
    for (int i = 0; i + CALLS < sorted.size(); i++) {
      assertThat(sorted.get(i + CALLS) - sorted.get(i)).isGreaterThanOrEqualTo(WINDOW.toNanos() / 1000 * 101 / 100);
    }
  }

  @Test
  void aBurstOfConcurrentReservationsFromThreeReplicasGetsNoMoreThanTheQuotaInAnyWindow() {
    List<QuotaStore> replicas = List.of(store(redis.port(), "p").quotas(CALLS, WINDOW),
        store(redis.port(), "p").quotas(CALLS, WINDOW), store(redis.port(), "p").quotas(CALLS, WINDOW));
    List<java.util.concurrent.CompletableFuture<Long>> slots = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      QuotaStore quotas = replicas.get(i % 3);
      slots.add(quotas.reserve(key("cli_a"), Duration.ofMillis(700)).toCompletableFuture().thenApply(r ->
          r instanceof QuotaStore.Reservation.Granted granted ? slotMicros(granted) : -1L));
    }

    List<Long> granted = slots.stream().map(java.util.concurrent.CompletableFuture::join).filter(t -> t >= 0)
        .sorted().toList();
    // at least the two windows within the longest wait of the first requests; later ones may reach a third
    assertThat(granted.size()).isGreaterThanOrEqualTo(CALLS * 2);
    for (int i = 0; i + CALLS < granted.size(); i++) {
      assertThat(granted.get(i + CALLS) - granted.get(i)).isGreaterThanOrEqualTo(WINDOW.toNanos() / 1000 * 101 / 100);
    }
  }

  @Test
  void theSlotsAheadOfAReplicaThatDiedGoBackToTheOthersOnceItsLeaseRunsOut() throws Exception {
    Duration window = Duration.ofSeconds(10);
    QuotaStore dead = store(redis.port(), "p").quotas(CALLS, window);
    QuotaStore alive = store(redis.port(), "p").quotas(CALLS, window);
    List<QuotaStore.Reservation.Granted> ahead = new ArrayList<>();
    for (int i = 0; i < 2 * CALLS; i++) {
      var granted = (QuotaStore.Reservation.Granted) dead.reserve(key("cli_a"), Duration.ofSeconds(30))
          .toCompletableFuture().join();
      if (!granted.delay().isZero()) ahead.add(granted);
    }
    assertThat(ahead).hasSize(CALLS);
    dead.close();
    Thread.sleep(RedisQuotaStore.lease(window).toMillis() + 300);

    var taken = (QuotaStore.Reservation.Granted) alive.reserve(key("cli_a"), Duration.ofSeconds(30))
        .toCompletableFuture().join();

    // the second window's first slot, which the dead replica held, rather than the third window's
    assertThat(taken.delay()).isLessThan(window);
    assertThat(dead.depart(key("cli_a"), ahead.getFirst()).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Departure.TakenBack.class);
    assertThat(alive.depart(key("cli_a"), taken).toCompletableFuture().join())
        .isNotInstanceOf(QuotaStore.Departure.TakenBack.class);
  }

  @Test
  void theGapADeadReplicaLeavesBeforeTheSlotsOfTheLivingIsFilledBeforeTheEndOfTheQueue() throws Exception {
    Duration window = Duration.ofSeconds(10);
    QuotaStore dead = store(redis.port(), "p").quotas(CALLS, window);
    QuotaStore alive = store(redis.port(), "p").quotas(CALLS, window);
    // the first window now, the second held by the replica that dies, the third by the one that lives
    for (int i = 0; i < CALLS; i++) alive.reserve(key("cli_a"), Duration.ofSeconds(30)).toCompletableFuture().join();
    for (int i = 0; i < CALLS; i++) dead.reserve(key("cli_a"), Duration.ofSeconds(30)).toCompletableFuture().join();
    List<Long> third = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      third.add(slotMicros((QuotaStore.Reservation.Granted) alive.reserve(key("cli_a"), Duration.ofSeconds(30))
          .toCompletableFuture().join()));
    }
    dead.close();
    Thread.sleep(RedisQuotaStore.lease(window).toMillis() + 300);

    List<Long> refilled = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      var granted = (QuotaStore.Reservation.Granted) alive.reserve(key("cli_a"), Duration.ofSeconds(40))
          .toCompletableFuture().join();
      assertThat(granted.delay()).as("slot %d", i).isLessThan(window.multipliedBy(2));
      refilled.add(slotMicros(granted));
    }

    // the second window again, not a fourth, and still never more than the quota in any window
    assertThat(refilled).allSatisfy(slot -> assertThat(slot).isLessThan(third.getFirst()));
    List<Long> sorted = new ArrayList<>(third);
    sorted.addAll(refilled);
    Collections.sort(sorted);
    for (int i = 0; i + CALLS < sorted.size(); i++) {
      assertThat(sorted.get(i + CALLS) - sorted.get(i)).isGreaterThanOrEqualTo(window.toNanos() / 1000 * 101 / 100);
    }
  }

  @Test
  void slotsTakenIntoTheGapsOfSlotsGivenBackNeverMakeMoreThanTheQuotaInAnyWindow() {
    List<QuotaStore> replicas = List.of(store(redis.port(), "p").quotas(CALLS, WINDOW),
        store(redis.port(), "p").quotas(CALLS, WINDOW), store(redis.port(), "p").quotas(CALLS, WINDOW));
    java.util.Random random = new java.util.Random(7);
    List<QuotaStore.Reservation.Granted> held = new ArrayList<>();
    int given = 0;
    for (int i = 0; i < 400; i++) {
      QuotaStore quotas = replicas.get(random.nextInt(3));
      if (!held.isEmpty() && random.nextInt(3) == 0) {
        quotas.release(key("cli_a"), held.remove(random.nextInt(held.size()))).toCompletableFuture().join();
        given++;
      } else if (quotas.reserve(key("cli_a"), Duration.ofSeconds(3)).toCompletableFuture().join()
          instanceof QuotaStore.Reservation.Granted granted) {
        held.add(granted);
      }
    }

    assertThat(given).isGreaterThan(50);
    List<Long> sorted = new ArrayList<>(held.stream().map(RedisStoreTest::slotMicros).sorted().toList());
    assertThat(sorted.size()).isGreaterThan(CALLS * 2);
    for (int i = 0; i + CALLS < sorted.size(); i++) {
      assertThat(sorted.get(i + CALLS) - sorted.get(i)).isGreaterThanOrEqualTo(WINDOW.toNanos() / 1000 * 101 / 100);
    }
  }

  @Test
  void aCallThatLeavesLateIsCountedFromWhenItLeavesAndWaitsOnlyForTheSendsBeforeIt() throws Exception {
    Duration window = Duration.ofSeconds(2);
    QuotaStore first = store(redis.port(), "p").quotas(2, window);
    QuotaStore second = store(redis.port(), "p").quotas(2, window);
    for (int i = 0; i < 2; i++) first.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join();
    var next = (QuotaStore.Reservation.Granted) second.reserve(key("cli_a"), Duration.ofSeconds(5))
        .toCompletableFuture().join();
    var after = (QuotaStore.Reservation.Granted) second.reserve(key("cli_a"), Duration.ofSeconds(5))
        .toCompletableFuture().join();

    // before its slot the sends of the window are the quota; after it, and late, the call still goes
    assertThat(second.depart(key("cli_a"), next).toCompletableFuture().join())
        .isInstanceOfSatisfying(QuotaStore.Departure.Wait.class, w -> assertThat(w.duration()).isPositive());
    Thread.sleep(next.delay().toMillis() + 300);
    assertThat(second.depart(key("cli_a"), next).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Departure.Go.class);
    assertThat(second.depart(key("cli_a"), after).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Departure.Go.class);
    // counted again (it was held up before it could leave), a call moves its send rather than spending another
    assertThat(second.depart(key("cli_a"), next).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Departure.Go.class);
    // the window of sends is now the quota: the next slot comes a window after the earliest of them
    var third = (QuotaStore.Reservation.Granted) first.reserve(key("cli_a"), Duration.ofSeconds(5))
        .toCompletableFuture().join();
    assertThat(third.delay()).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void aLeaseIsAnEighthOfTheWindowBetweenHalfASecondAndThreeSeconds() {
    assertThat(RedisQuotaStore.lease(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(3));
    assertThat(RedisQuotaStore.lease(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(1));
    assertThat(RedisQuotaStore.lease(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aSlotGivenBackIsFreeForAnyReplicaAtOnce() {
    Duration window = Duration.ofSeconds(10);
    QuotaStore first = store(redis.port(), "p").quotas(CALLS, window);
    QuotaStore second = store(redis.port(), "p").quotas(CALLS, window);
    List<QuotaStore.Reservation.Granted> now = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      now.add((QuotaStore.Reservation.Granted) first.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join());
    }
    assertThat(second.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Reservation.Refused.class);

    assertThat(first.release(key("cli_a"), now.get(3)).toCompletableFuture().join()).isTrue();

    var taken = second.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join();
    assertThat(taken).isInstanceOf(QuotaStore.Reservation.Granted.class);
    assertThat(((QuotaStore.Reservation.Granted) taken).delay()).isZero();
    assertThat(second.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Reservation.Refused.class);
    assertThat(first.release(key("cli_a"), now.get(3)).toCompletableFuture().join()).isFalse();
  }

  @Test
  void slotsSeveralWindowsAheadAllStayTheirHoldersUntilTheyAreUsed() {
    QuotaStore quotas = store(redis.port(), "p").quotas(CALLS, WINDOW);
    List<QuotaStore.Reservation.Granted> granted = new ArrayList<>();
    for (int i = 0; i < 4 * CALLS; i++) {
      granted.add((QuotaStore.Reservation.Granted) quotas.reserve(key("cli_a"), Duration.ofSeconds(5))
          .toCompletableFuture().join());
    }

    assertThat(granted.getLast().delay()).isGreaterThan(WINDOW.multipliedBy(2));
    assertThat(granted).allSatisfy(g -> assertThat(quotas.depart(key("cli_a"), g).toCompletableFuture().join())
        .isNotInstanceOf(QuotaStore.Departure.TakenBack.class));
  }

  @Test
  void aReplicaThatLivesKeepsItsSlotsAhead() throws Exception {
    Duration window = Duration.ofSeconds(10);
    QuotaStore first = store(redis.port(), "p").quotas(CALLS, window);
    QuotaStore second = store(redis.port(), "p").quotas(CALLS, window);
    QuotaStore.Reservation.Granted last = null;
    for (int i = 0; i < 2 * CALLS; i++) {
      last = (QuotaStore.Reservation.Granted) first.reserve(key("cli_a"), Duration.ofSeconds(30))
          .toCompletableFuture().join();
    }
    Thread.sleep(RedisQuotaStore.lease(window).toMillis() + 300);

    var taken = (QuotaStore.Reservation.Granted) second.reserve(key("cli_a"), Duration.ofSeconds(30))
        .toCompletableFuture().join();

    assertThat(taken.delay()).isGreaterThan(window);
    assertThat(first.depart(key("cli_a"), last).toCompletableFuture().join())
        .isNotInstanceOf(QuotaStore.Departure.TakenBack.class);
  }

  @Test
  void aRedisThatRestartedEmptyHoldsTheQuotaForOneWindowSinceItForgotTheLastCalls() {
    QuotaStore quotas = store(redis.port(), "p").quotas(CALLS, WINDOW);
    quotas.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join();
    plain().getConnectionFactory().getConnection().serverCommands().flushAll();

    var held = quotas.reserve(key("cli_a"), Duration.ofSeconds(2)).toCompletableFuture().join();

    assertThat(((QuotaStore.Reservation.Granted) held).delay()).isBetween(Duration.ofMillis(450), WINDOW.plusMillis(5));
    assertThat(quotas.reserve(key("cli_b"), Duration.ZERO).toCompletableFuture().join())
        .isInstanceOf(QuotaStore.Reservation.Refused.class);
  }

  @Test
  void aRedisThatRestartedEmptyWithTheWorkersHoldsTheQuotaUntilAWindowAfterItsStart() {
    Duration window = Duration.ofSeconds(10);
    try (RedisServer restarted = RedisServer.start()) {
      QuotaStore quotas = store(restarted.port(), "p").quotas(CALLS, window);

      assertThat(quotas.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join())
          .isInstanceOf(QuotaStore.Reservation.Refused.class);
      var held = quotas.reserve(key("cli_b"), Duration.ofSeconds(20)).toCompletableFuture().join();
      // a window and 1 % from the start of Redis, which was a few seconds at most before the store's
      assertThat(((QuotaStore.Reservation.Granted) held).delay()).isBetween(window.minusSeconds(4),
          Duration.ofMillis(10_100));
    }
  }

  @Test
  void aRedisUpForMoreThanAWindowWithoutTheMarkerIsANewDeploymentsAndHoldsNothing() {
    QuotaStore quotas = store(redis.port(), "new-deployment").quotas(CALLS, WINDOW);

    assertThat(quotas.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join())
        .isInstanceOfSatisfying(QuotaStore.Reservation.Granted.class, g -> assertThat(g.delay()).isZero());
    assertThat(plain().hasKey("new-deployment:started")).isTrue();
  }

  @Test
  void theRedisOfTheseTestsIsNewEnoughAndSaysSo() {
    RedisServerInfo server = store(redis.port(), "p").serverInfo().toCompletableFuture().join();

    assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(server.problem()).isEmpty();
    assertThat(server.uptime()).isPositive();
  }

  @Test
  void aCallThatWouldWaitTooLongIsRefusedAndTakesNoSlot() {
    QuotaStore quotas = store(redis.port(), "p").quotas(CALLS, WINDOW);
    for (int i = 0; i < CALLS; i++) quotas.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture().join();

    var refused = quotas.reserve(key("cli_a"), Duration.ofMillis(100)).toCompletableFuture().join();

    assertThat(refused).isInstanceOf(QuotaStore.Reservation.Refused.class);
    // the slot comes about 505 ms from now; back half the longest wait (50 ms) before it
    assertThat(((QuotaStore.Reservation.Refused) refused).retryAfter())
        .isBetween(Duration.ofMillis(350), Duration.ofMillis(460));
    assertThat(plain().opsForZSet().size("p:quota:{p:cli_a:-:reject}:slots")).isEqualTo(CALLS);
  }

  @Test
  void otherAppsTenantsAndApisCountOnTheirOwn() {
    QuotaStore quotas = store(redis.port(), "p").quotas(1, WINDOW);

    for (var key : List.of(key("cli_a"), key("cli_b"), new QuotaStore.QuotaKey("cli_a", "tenant-x", "reject"),
        new QuotaStore.QuotaKey("cli_a", "", "agree"))) {
      assertThat(quotas.reserve(key, Duration.ZERO).toCompletableFuture().join())
          .isInstanceOfSatisfying(QuotaStore.Reservation.Granted.class, g -> assertThat(g.delay()).isZero());
    }
  }

  @Test
  void aPauseOneReplicaHeardFromFeishuHoldsBackEveryReplica() {
    QuotaStore first = store(redis.port(), "p").quotas(CALLS, WINDOW);
    QuotaStore second = store(redis.port(), "p").quotas(CALLS, WINDOW);

    first.pause(key("cli_a"), Duration.ofSeconds(3)).toCompletableFuture().join();

    var reservation = second.reserve(key("cli_a"), Duration.ofSeconds(10)).toCompletableFuture().join();
    assertThat(((QuotaStore.Reservation.Granted) reservation).delay())
        .isBetween(Duration.ofMillis(2500), Duration.ofSeconds(3));
  }

  @Test
  void theMemoryOfDoneJobsAndTheFailureCountsAreSharedAndExpire() {
    JobMemory a = store(redis.port(), "p").jobMemory(new ObjectMapper());
    JobMemory b = store(redis.port(), "p").jobMemory(new ObjectMapper());
    JobIdentity job = new JobIdentity("cli_a", 42, 4200, 4201);

    assertThat(a.recordFailure(job, Duration.ofMinutes(5)).toCompletableFuture().join()).isEqualTo(1);
    assertThat(b.recordFailure(job, Duration.ofMinutes(5)).toCompletableFuture().join()).isEqualTo(2);
    a.rememberCompletion(job, Map.of("rejectResult", Map.of("code", 0, "logId", "2026")),
        Duration.ofMinutes(5)).toCompletableFuture().join();

    assertThat(b.completionOf(job).toCompletableFuture().join())
        .contains(Map.of("rejectResult", Map.of("code", 0, "logId", "2026")));
    assertThat(b.completionOf(new JobIdentity("cli_b", 42, 4200, 4201)).toCompletableFuture().join()).isEmpty();
    assertThat(plain().getExpire("p:cli_a:job:42:4200:4201:done", TimeUnit.SECONDS)).isBetween(250L, 300L);
    assertThat(plain().hasKey("p:cli_a:job:42:4200:4201:failures")).isFalse();
  }

  @Test
  void aJobOfAnotherClusterWithTheSameJobKeyIsNotTakenForDone() {
    JobMemory memory = store(redis.port(), "p").jobMemory(new ObjectMapper());
    memory.rememberCompletion(new JobIdentity("cli_a", 42, 4200, 4201), Map.of("done", true), Duration.ofMinutes(5))
        .toCompletableFuture().join();

    assertThat(memory.completionOf(new JobIdentity("cli_a", 42, 9900, 4201)).toCompletableFuture().join()).isEmpty();
    assertThat(memory.completionOf(new JobIdentity("cli_a", 42, 4200, 9901)).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void onlyOneReplicaHoldsAJobsClaimUntilItIsReleasedOrTheLockRunsOut() throws Exception {
    JobMemory a = store(redis.port(), "p").jobMemory(new ObjectMapper());
    JobMemory b = store(redis.port(), "p").jobMemory(new ObjectMapper());
    JobIdentity job = new JobIdentity("cli_a", 42, 4200, 4201);

    assertThat(a.claim(job, "a-1", Duration.ofMinutes(1)).toCompletableFuture().join()).isTrue();
    assertThat(b.claim(job, "b-1", Duration.ofMinutes(1)).toCompletableFuture().join()).isFalse();
    assertThat(plain().getExpire("p:cli_a:job:42:4200:4201:claim", TimeUnit.SECONDS)).isBetween(50L, 60L);
    b.release(job, "b-1").toCompletableFuture().join();
    assertThat(b.claim(job, "b-2", Duration.ofMinutes(1)).toCompletableFuture().join()).as("another's release")
        .isFalse();
    a.release(job, "a-1").toCompletableFuture().join();
    assertThat(b.claim(job, "b-3", Duration.ofMillis(300)).toCompletableFuture().join()).isTrue();
    assertThat(a.claim(job, "a-2", Duration.ofMinutes(1)).toCompletableFuture().join()).isFalse();
    Thread.sleep(600);
    assertThat(a.claim(job, "a-3", Duration.ofMinutes(1)).toCompletableFuture().join()).as("after the lock ran out")
        .isTrue();
  }

  @Test
  void aTicketPushedToOneReplicaServesAllAndOnlyTheRefusedOneIsDropped() {
    var first = store(redis.port(), "p").tickets();
    var second = store(redis.port(), "p").tickets();
    java.time.Instant now = java.time.Instant.now();
    first.put("cli_a", new io.github.feishuapproval.feishu.TicketStore.StoredTicket("ticket-1", now.minusSeconds(60)))
        .toCompletableFuture().join();
    second.put("cli_a", new io.github.feishuapproval.feishu.TicketStore.StoredTicket("ticket-2", now))
        .toCompletableFuture().join();
    // a push that arrives late, older than the one kept, does not replace it
    first.put("cli_a", new io.github.feishuapproval.feishu.TicketStore.StoredTicket("ticket-0", now.minusSeconds(600)))
        .toCompletableFuture().join();

    assertThat(first.latest("cli_a").toCompletableFuture().join().orElseThrow().value()).isEqualTo("ticket-2");
    second.drop("cli_a", "ticket-1").toCompletableFuture().join();
    assertThat(first.latest("cli_a").toCompletableFuture().join()).isPresent();
    second.drop("cli_a", "ticket-2").toCompletableFuture().join();
    assertThat(first.latest("cli_a").toCompletableFuture().join()).isEmpty();
    assertThat(first.latest("cli_b").toCompletableFuture().join()).isEmpty();
  }

  @Test
  void everyKeyStartsWithThePrefixAndNamesTheAppIdSoTwoDeploymentsCanShareARedis() {
    store(redis.port(), "hr-workers").quotas(CALLS, WINDOW).reserve(key("cli_a"), Duration.ZERO)
        .toCompletableFuture().join();
    store(redis.port(), "finance-workers").jobMemory(new ObjectMapper())
        .rememberCompletion(new JobIdentity("cli_b", 7, 70, 71), Map.of(), Duration.ofMinutes(1))
        .toCompletableFuture().join();

    var keys = plain().keys("*");
    // each deployment's marker that it has used this Redis, and keys per app that expire
    assertThat(keys).contains("hr-workers:started").doesNotContain("finance-workers:started");
    keys.removeAll(List.of("hr-workers:started", "p:started"));
    assertThat(keys).allSatisfy(k -> assertThat(k).matches("(hr-workers|finance-workers):.*cli_[ab].*"))
        .anySatisfy(k -> assertThat(k).startsWith("hr-workers:quota:"))
        .anySatisfy(k -> assertThat(k).startsWith("finance-workers:cli_b:job:7"))
        .allSatisfy(k -> assertThat(plain().getExpire(k)).isPositive());
  }

  @Test
  void anUnreachableRedisFailsTheCallWithinTheStoresTimeout() {
    QuotaStore quotas = store(1, "p").quotas(CALLS, WINDOW);

    assertThatThrownBy(() -> quotas.reserve(key("cli_a"), Duration.ZERO).toCompletableFuture()
        .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
  }

  /** When a slot is, in microseconds on Redis's clock: the store names each slot after its time. */
  private static long slotMicros(QuotaStore.Reservation.Granted granted) {
    return Long.parseLong(granted.slot().substring(0, granted.slot().indexOf(':')));
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

  private static QuotaStore.QuotaKey key(String appId) {
    return new QuotaStore.QuotaKey(appId, "", "reject");
  }
}
