package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One cached token and the fetch of its successor while one is under way: however many callers need the token at
 * once, one request is made and they share the answer. Remembers the last failure, for the probes.
 */
final class CachedToken {

  private TenantToken cached;
  private CompletableFuture<TokenResult> inFlight;
  private FeishuOutcome lastFailure;
  private Instant lastFailureAt;

  /** The cached token while it is fresh, the fetch under way, or a new one from {@code fetch}. */
  CompletableFuture<TokenResult> get(Clock clock, Supplier<CompletableFuture<TokenResult>> fetch,
      Consumer<TokenResult> fetched) {
    CompletableFuture<TokenResult> mine;
    synchronized (this) {
      if (fresh(clock)) return CompletableFuture.completedFuture(new TokenResult.Issued(cached));
      if (inFlight != null) return inFlight;
      mine = new CompletableFuture<>();
      inFlight = mine;
    }
    fetch.get().whenComplete((result, failure) -> {
      TokenResult settled = failure != null
          ? new TokenResult.Refused(new FeishuOutcome.Transient("token fetch " + FeishuHttp.describe(failure), ""))
          : result;
      synchronized (this) {
        inFlight = null;
        if (settled instanceof TokenResult.Issued issued) {
          cached = issued.token();
          lastFailure = null;
          lastFailureAt = null;
        } else {
          lastFailure = ((TokenResult.Refused) settled).outcome();
          lastFailureAt = clock.instant();
        }
      }
      fetched.accept(settled);
      mine.complete(settled);
    });
    return mine;
  }

  synchronized boolean fresh(Clock clock) {
    return cached != null && clock.instant().isBefore(cached.refreshAt());
  }

  /** Forgets {@code rejected} unless a newer token already replaced it; true when it was the cached one. */
  synchronized boolean drop(TenantToken rejected) {
    if (cached == null || !cached.value().equals(rejected.value())) return false;
    cached = null;
    return true;
  }

  synchronized FeishuOutcome lastFailure() {
    return lastFailure;
  }

  /** For the probes: whether a fresh token is cached and until when, or what the last fetch came to. */
  synchronized String describe(Clock clock) {
    if (fresh(clock)) return "cached until " + cached.refreshAt();
    if (lastFailure != null) return "last fetch failed at " + lastFailureAt + ": " + FeishuOutcomes.describe(lastFailure);
    return "not fetched yet";
  }
}
