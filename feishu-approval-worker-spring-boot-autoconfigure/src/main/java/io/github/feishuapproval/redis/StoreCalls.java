package io.github.feishuapproval.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Runs each call to Redis within the store's timeout and times it: {@code feishu_store_calls_seconds} by operation and
 * outcome ({@code ok}, {@code timeout}, {@code failed}).
 */
final class StoreCalls {

  private final MeterRegistry registry;
  private final Duration timeout;

  StoreCalls(MeterRegistry registry, Duration timeout) {
    this.registry = registry;
    this.timeout = timeout;
  }

  <T> CompletableFuture<T> run(String operation, Mono<T> call) {
    long started = System.nanoTime();
    return call.timeout(timeout).toFuture().whenComplete((value, failure) -> {
      String outcome = failure == null ? "ok" : failure instanceof TimeoutException ? "timeout" : "failed";
      Timer.builder("feishu.store.calls")
          .description("calls to the shared store (Redis), by operation and outcome")
          .tags("operation", operation, "outcome", outcome)
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - started));
    });
  }
}
