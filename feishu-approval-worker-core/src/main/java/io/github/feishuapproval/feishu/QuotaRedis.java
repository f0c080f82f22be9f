package io.github.feishuapproval.feishu;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The few Redis commands the shared quota ({@link SharedQuotaStore}) sends, asynchronously, each within the store's
 * timeout; a client of any kind (Spring Data Redis, plain Lettuce) gives them. Times are microseconds as text.
 */
public interface QuotaRedis {

  /**
   * Runs {@code script} with these keys and arguments: its answer as Redis gave it, a {@link Long} or, for a script
   * that {@link QuotaScript#answersList() answers a list}, a list of longs and strings.
   */
  CompletionStage<Object> run(QuotaScript script, List<String> keys, List<String> args);

  /** ZREM, counted as {@code operation}: how many members were removed. */
  CompletionStage<Long> removeMember(String operation, String sortedSet, String member);
}
