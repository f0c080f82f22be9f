package io.github.feishuapproval.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  private Instant now = Instant.parse("2026-12-03T09:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final RefusalLog log = new RefusalLog(clock, Duration.ofMinutes(1));

  @Test
  void theFirstRefusalIsLoggedAndTheRestOfTheMinuteOnlyCounted() {
    assertThat(log.admit("isv")).isEqualTo(OptionalLong.of(0));
    for (int i = 0; i < 500; i++) assertThat(log.admit("isv")).isEmpty();
    now = now.plusSeconds(59);
    assertThat(log.admit("isv")).isEmpty();

    now = now.plusSeconds(1);
    assertThat(log.admit("isv")).isEqualTo(OptionalLong.of(501));
    assertThat(log.admit("isv")).isEmpty();
  }

  @Test
  void eachKeyHasItsOwnMinute() {
    assertThat(log.admit("isv")).isPresent();
    assertThat(log.admit("late")).isPresent();
    assertThat(log.admit("isv")).isEmpty();
  }

  @Test
  void aClockSetBackDoesNotSilenceTheLog() {
    assertThat(log.admit("isv")).isPresent();
    now = now.minus(Duration.ofHours(1));

    assertThat(log.admit("isv")).isPresent();
  }
}
