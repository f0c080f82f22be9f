package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * What event pushes were seen lately: signed requests, so that a copy sent again is a replay, and app_ticket event
 * ids, so that Feishu's retries change nothing. In this process, or in the shared store, so that a push replayed to
 * another replica is known there too. A store that cannot be reached fails the stage.
 */
public interface SeenEvents {

  /**
   * Remembers {@code id} for {@code lifetime}, atomically: completes with true for the first caller, with false while
   * it is remembered.
   */
  CompletionStage<Boolean> firstTime(String id, Duration lifetime);

  /** Whether {@code id} is remembered now, without remembering it. */
  CompletionStage<Boolean> seen(String id);

  /** Forgets {@code id}, so that it counts as new again. */
  CompletionStage<Void> forget(String id);
}
