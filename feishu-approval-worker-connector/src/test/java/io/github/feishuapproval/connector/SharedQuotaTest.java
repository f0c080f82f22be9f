package io.github.feishuapproval.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.camunda.connector.api.error.ConnectorException;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two runtime replicas, each a connector with its own Lettuce client, on one real redis-server. */
class SharedQuotaTest {

  private static final int CALLS = 4;
  private static final Duration WINDOW = Duration.ofSeconds(3);
  private static final int TASKS = 4 * CALLS;

  private final FeishuSimulator feishu = new FeishuSimulator().start();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) closeable.close();
    feishu.close();
  }

  @Test
  void twoReplicasTogetherKeepToFeishusQuotaAndNeverSendMoreThanItInAnyWindow() throws Exception {
    RedisServer redis = open(RedisServer.start());
    feishu.quota(CALLS, WINDOW);
    List<FeishuApprovalConnector> replicas = List.of(replica(redis.url(), Map.of()), replica(redis.url(), Map.of()));

    ExecutorService jobThreads = Executors.newFixedThreadPool(TASKS);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      var task = TaskContexts.task("feishu-approval-reject", reject("17859962651520" + (10 + i)), 5200 + i);
      FeishuApprovalConnector replica = replicas.get(i % 2);
      results.add(jobThreads.submit(() -> replica.execute(task)));
    }
    for (Future<Object> result : results) {
      assertThat(result.get()).isInstanceOfSatisfying(Map.class, r -> assertThat(r.get("code")).hasToString("0"));
    }
    jobThreads.shutdown();

    assertThat(feishu.rateLimitedAnswers()).isZero();
    assertThat(feishu.actionsCarriedOut()).hasSize(TASKS).allSatisfy((task, times) -> assertThat(times).isEqualTo(1));
    List<Instant> arrivals = feishu.calls().stream().map(FeishuSimulator.Call::arrived).sorted().toList();
    // call i + CALLS arrives at least a window after call i: no window, however placed, holds more than the quota
    for (int i = 0; i + CALLS < arrivals.size(); i++) {
      assertThat(Duration.between(arrivals.get(i), arrivals.get(i + CALLS))).as("calls %d to %d", i, i + CALLS)
          .isGreaterThanOrEqualTo(WINDOW);
    }
  }

  @Test
  void aRedisWithAPasswordIsReachedWithTheSecretSettingAndAWrongOneIsNeverShown() throws Exception {
    RedisServer redis = open(RedisServer.start("s3cret-redis-pw", false));
    String url = "redis://127.0.0.1:" + redis.port();

    Object done = replica(url, Map.of(ConnectorSettings.REDIS_PASSWORD, "s3cret-redis-pw"))
        .execute(TaskContexts.task("feishu-approval-reject", reject("1785996265152001"), 5301));
    ConnectorException handedBack = catchThrowableOfType(ConnectorException.class,
        () -> replica(url, Map.of(ConnectorSettings.REDIS_PASSWORD, "wrong-redis-pw"))
            .execute(TaskContexts.task("feishu-approval-reject", reject("1785996265152002"), 5302)));

    assertThat(done).isInstanceOf(Map.class);
    // nothing sent, the job handed back to wait without spending a retry, and the password nowhere in the answer
    assertThat(handedBack.getErrorCode()).isEqualTo(ConnectorAnswers.WAIT);
    assertThat(handedBack).hasMessageContaining("shared quota could not be consulted")
        .hasMessageNotContaining("wrong-redis-pw");
    assertThat(String.valueOf(handedBack.getErrorVariables())).doesNotContain("wrong-redis-pw");
    assertThat(feishu.callsFor("1785996265152002")).isEmpty();
  }

  private FeishuApprovalConnector replica(String redisUrl, Map<String, String> more) {
    Map<String, String> environment = new HashMap<>(Map.of(
        ConnectorSettings.BASE_URL, feishu.baseUrl().toString(),
        ConnectorSettings.STORE_TYPE, "redis",
        ConnectorSettings.REDIS_URL, redisUrl,
        ConnectorSettings.REDIS_TIMEOUT, "1s",
        "FEISHU_RATE_LIMIT_CALLS", Integer.toString(CALLS),
        "FEISHU_RATE_LIMIT_WINDOW", WINDOW.toMillis() + "ms",
        "FEISHU_MAX_QUOTA_WAIT", "40s"));
    environment.putAll(more);
    return open(new FeishuApprovalConnector(ConnectorSettings.from(environment::get), Clock.systemUTC()));
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private static String reject(String taskId) {
    return "{\"feishuAppId\":\"" + FeishuSimulator.APP_ID + "\",\"feishuAppSecret\":\"" + FeishuSimulator.APP_SECRET
        + "\",\"approvalTaskId\":\"" + taskId + "\",\"userId\":\"1783981209205788\"}";
  }
}
