package io.github.feishuapproval.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedisServerInfoTest {

  @Test
  void aRedisOlderThanFiveIsRefusedWithItsVersionAndWhatToDo() {
    RedisServerInfo old = RedisServerInfo.of(info("4.0.14", "3600"));

    assertThat(old.problem()).hasValueSatisfying(problem -> assertThat(problem)
        .contains("Redis 5.0 or newer").contains("this Redis is 4.0.14").contains("feishu.store.type=memory"));
  }

  @Test
  void redisFiveAndNewerAreAccepted() {
    for (String version : new String[] {"5.0.0", "6.2.6", "7.4.1", "10.0.0"}) {
      assertThat(RedisServerInfo.of(info(version, "1")).problem()).as(version).isEmpty();
    }
  }

  @Test
  void aServerThatDoesNotSayItsVersionIsNotRefusedForIt() {
    assertThat(RedisServerInfo.of(new Properties()).problem()).isEmpty();
    assertThat(RedisServerInfo.of(info("unstable", "1")).problem()).isEmpty();
  }

  @Test
  void theUptimeIsReadInSecondsAndIsZeroWhenMissing() {
    assertThat(RedisServerInfo.of(info("7.2.4", "75")).uptime()).isEqualTo(Duration.ofSeconds(75));
    assertThat(RedisServerInfo.of(info("7.2.4", "")).uptime()).isZero();
  }

  private static Properties info(String version, String uptime) {
    Properties info = new Properties();
    info.setProperty("redis_version", version);
    info.setProperty("uptime_in_seconds", uptime);
    return info;
  }
}
