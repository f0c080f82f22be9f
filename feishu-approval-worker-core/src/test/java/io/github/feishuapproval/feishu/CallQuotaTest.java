package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallQuotaTest {

  private final FeishuClientTest.MutableClock clock = new FeishuClientTest.MutableClock();
  private final CallQuota quota = new CallQuota(3, Duration.ofSeconds(60), clock);
  /** A minute and 1% of it for network jitter. */
  private static final Duration WINDOW_WITH_JITTER = Duration.ofMillis(60_600);

  @Test
  void aBurstGetsTheWholeQuotaAtOnceAndTheNextCallWaitsForTheWindow() {
    for (int i = 0; i < 3; i++) assertThat(reserve(Duration.ZERO)).isEqualTo(granted(Duration.ZERO));

    assertThat(reserve(Duration.ofSeconds(61))).isEqualTo(granted(WINDOW_WITH_JITTER));
    assertThat(reserve(Duration.ofSeconds(61))).isEqualTo(granted(WINDOW_WITH_JITTER));
  }

  @Test
  void aSlotFreesOnlyAWindowAndAJitterMarginAfterTheCallItReplaces() {
    for (int i = 0; i < 3; i++) quota.reserve(Duration.ZERO);
    clock.advance(Duration.ofSeconds(60));

    assertThat(reserve(Duration.ZERO)).isEqualTo(new QuotaStore.Reservation.Refused(Duration.ofMillis(600)));
    clock.advance(Duration.ofMillis(600));
    assertThat(reserve(Duration.ZERO)).isEqualTo(granted(Duration.ZERO));
  }

  @Test
  void aCallThatWouldWaitLongerThanAllowedIsRefusedAndTakesNoSlot() {
    for (int i = 0; i < 3; i++) quota.reserve(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));

    assertThat(reserve(Duration.ofSeconds(41))).isEqualTo(granted(Duration.ofMillis(40_600)));
  }

  @Test
  void aRefusedCallIsToldToComeBackHalfTheLongestWaitBeforeItsSlot() {
    for (int i = 0; i < 3; i++) quota.reserve(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));

    // the slot comes in 40.6 s; back 5 s before it, the caller still has 5 s in hand for the engine to return the job
    assertThat(reserve(Duration.ofSeconds(10)))
        .isEqualTo(new QuotaStore.Reservation.Refused(Duration.ofMillis(35_600)));
    clock.advance(Duration.ofMillis(35_600));
    assertThat(reserve(Duration.ofSeconds(10))).isEqualTo(granted(Duration.ofSeconds(5)));
  }

  @Test
  void neverMoreThanTheQuotaInAnyWindowHoweverCallsArrive() {
    java.util.List<java.time.Instant> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      var reservation = quota.reserve(Duration.ofDays(1));
      sent.add(clock.instant().plus(((QuotaStore.Reservation.Granted) reservation).delay()));
      clock.advance(Duration.ofSeconds(i % 7));
    }
    for (java.time.Instant start : sent) {
      long inWindow = sent.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(60))).count();
      assertThat(inWindow).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aSlotGivenBackCountsForNothingAndTheNextCallTakesItsPlaceAtOnce() {
    quota.reserve(Duration.ZERO);
    var unused = (QuotaStore.Reservation.Granted) quota.reserve(Duration.ZERO);
    quota.reserve(Duration.ZERO);

    assertThat(quota.release(unused.slot())).isTrue();
    assertThat(reserve(Duration.ZERO)).isEqualTo(granted(Duration.ZERO));
    assertThat(reserve(Duration.ofSeconds(61))).isEqualTo(granted(WINDOW_WITH_JITTER));
    assertThat(quota.release(unused.slot())).as("given back once only").isFalse();
  }

  @Test
  void aCallThatLeavesLateIsCountedWhenItLeavesAndTheNextWaitsAWindowFromThere() {
    for (int i = 0; i < 3; i++) quota.reserve(Duration.ZERO);
    var next = (QuotaStore.Reservation.Granted) reserve(Duration.ofSeconds(61));
    clock.advance(Duration.ofMillis(60_600 + 2_000));

    // two seconds late, far past the 0.6 s margin: it goes now, and counts from now, not from its slot
    assertThat(quota.depart(next.slot())).isEqualTo(new QuotaStore.Departure.Go());
    assertThat(quota.depart(next.slot())).as("counted again, it moves its send").isEqualTo(
        new QuotaStore.Departure.Go());
    for (int i = 0; i < 2; i++) quota.reserve(Duration.ZERO);
    assertThat(reserve(Duration.ofSeconds(61))).isEqualTo(granted(WINDOW_WITH_JITTER));
  }

  @Test
  void aCallWhoseSlotHasComeWaitsWhileTheSendsOfTheLastWindowAreTheQuota() {
    var first = (QuotaStore.Reservation.Granted) quota.reserve(Duration.ZERO);
    clock.advance(Duration.ofSeconds(1));
    quota.reserve(Duration.ZERO);
    quota.reserve(Duration.ZERO);
    var fourth = (QuotaStore.Reservation.Granted) reserve(Duration.ofSeconds(61));
    // the first call was held up before it could leave and was counted again 30 s in
    clock.advance(Duration.ofSeconds(29));
    assertThat(quota.depart(first.slot())).isEqualTo(new QuotaStore.Departure.Go());
    clock.advance(fourth.delay().minusSeconds(29));

    // its slot has come, but the sends of the last window are still three until the second one ages
    assertThat(quota.depart(fourth.slot())).isEqualTo(new QuotaStore.Departure.Wait(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(quota.depart(fourth.slot())).isEqualTo(new QuotaStore.Departure.Go());
  }

  @Test
  void aRateLimitAnswerPausesEveryCallUntilTheResetFeishuNamed() {
    quota.pauseFor(Duration.ofSeconds(7));

    assertThat(reserve(Duration.ofSeconds(5)))
        .isEqualTo(new QuotaStore.Reservation.Refused(Duration.ofMillis(4_500)));
    assertThat(reserve(Duration.ofSeconds(7))).isEqualTo(granted(Duration.ofSeconds(7)));
    clock.advance(Duration.ofSeconds(8));
    assertThat(reserve(Duration.ZERO)).isEqualTo(granted(Duration.ZERO));
  }

  /** What the quota answered, without the name of the slot it took. */
  private QuotaStore.Reservation reserve(Duration maxWait) {
    QuotaStore.Reservation answer = quota.reserve(maxWait);
    return answer instanceof QuotaStore.Reservation.Granted granted
        ? new QuotaStore.Reservation.Granted(granted.delay()) : answer;
  }

  private static QuotaStore.Reservation granted(Duration delay) {
    return new QuotaStore.Reservation.Granted(delay);
  }
}
