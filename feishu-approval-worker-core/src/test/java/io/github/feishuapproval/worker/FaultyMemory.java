package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** The memory of one process, any of whose operations can be made to throw or fail its stage; keepFor is recorded. */
final class FaultyMemory implements JobMemory {

  enum Fault { THROWS, FAILS }

  final RecentJobs delegate = new RecentJobs(1000);
  final Map<String, Fault> faults = new ConcurrentHashMap<>();
  final List<Duration> keptFor = new CopyOnWriteArrayList<>();

  FaultyMemory breaking(String operation, Fault fault) {
    faults.put(operation, fault);
    return this;
  }

  @Override
  public CompletionStage<Boolean> claim(JobIdentity job, String holder, Duration lockLeft) {
    return maybe("claim", () -> delegate.claim(job, holder, lockLeft));
  }

  @Override
  public CompletionStage<Void> release(JobIdentity job, String holder) {
    return maybe("release", () -> delegate.release(job, holder));
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> completionOf(JobIdentity job) {
    return maybe("completionOf", () -> delegate.completionOf(job));
  }

  @Override
  public CompletionStage<Void> rememberCompletion(JobIdentity job, Map<String, Object> variables, Duration keepFor) {
    keptFor.add(keepFor);
    return maybe("rememberCompletion", () -> delegate.rememberCompletion(job, variables, keepFor));
  }

  @Override
  public CompletionStage<Integer> recordFailure(JobIdentity job, Duration keepFor) {
    keptFor.add(keepFor);
    return maybe("recordFailure", () -> delegate.recordFailure(job, keepFor));
  }

  @Override
  public CompletionStage<Void> forget(JobIdentity job) {
    return maybe("forget", () -> delegate.forget(job));
  }

  private <T> CompletionStage<T> maybe(String operation, Supplier<CompletionStage<T>> call) {
    Fault fault = faults.get(operation);
    if (fault == Fault.THROWS) throw new IllegalStateException("injected: " + operation + " throws");
    if (fault == Fault.FAILS) {
      return CompletableFuture.failedFuture(new IllegalStateException("injected: " + operation + " fails"));
    }
    return call.get();
  }
}
