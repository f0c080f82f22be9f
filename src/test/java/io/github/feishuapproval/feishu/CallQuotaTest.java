package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallQuotaTest {

  private final FeishuClientTest.MutableClock clock = new FeishuClientTest.MutableClock();
  private final CallQuota quota = new CallQuota(3, Duration.ofSeconds(60), clock);

  @Test
  void aBurstGetsTheWholeQuotaAtOnceAndTheNextCallWaitsForTheWindow() {
    for (int i = 0; i < 3; i++) assertThat(quota.reserve(Duration.ZERO)).isEqualTo(granted(0));

    assertThat(quota.reserve(Duration.ofSeconds(60))).isEqualTo(granted(60));
    assertThat(quota.reserve(Duration.ofSeconds(60))).isEqualTo(granted(60));
  }

  @Test
  void aCallThatWouldWaitLongerThanAllowedIsRefusedWithTheWaitAndTakesNoSlot() {
    for (int i = 0; i < 3; i++) quota.reserve(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));

    assertThat(quota.reserve(Duration.ofSeconds(10))).isEqualTo(new CallQuota.Reservation.Refused(Duration.ofSeconds(40)));
    assertThat(quota.reserve(Duration.ofSeconds(40))).isEqualTo(granted(40));
  }

  @Test
  void neverMoreThanTheQuotaInAnyWindowHoweverCallsArrive() {
    java.util.List<java.time.Instant> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      var reservation = quota.reserve(Duration.ofDays(1));
      sent.add(clock.instant().plus(((CallQuota.Reservation.Granted) reservation).delay()));
      clock.advance(Duration.ofSeconds(i % 7));
    }
    for (java.time.Instant start : sent) {
      long inWindow = sent.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(60))).count();
      assertThat(inWindow).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aRateLimitAnswerPausesEveryCallUntilTheResetFeishuNamed() {
    quota.pauseFor(Duration.ofSeconds(7));

    assertThat(quota.reserve(Duration.ofSeconds(5))).isEqualTo(new CallQuota.Reservation.Refused(Duration.ofSeconds(7)));
    assertThat(quota.reserve(Duration.ofSeconds(7))).isEqualTo(granted(7));
    clock.advance(Duration.ofSeconds(8));
    assertThat(quota.reserve(Duration.ZERO)).isEqualTo(granted(0));
  }

  private static CallQuota.Reservation granted(long seconds) {
    return new CallQuota.Reservation.Granted(Duration.ofSeconds(seconds));
  }
}
