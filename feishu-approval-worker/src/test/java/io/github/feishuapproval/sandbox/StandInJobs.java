package io.github.feishuapproval.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The jobs behind {@link RestJobGateway}, with the states and rules of Camunda's job lifecycle that a worker can see
 * through the REST API: a job is activatable, activated by one worker until its deadline, and then gone (completed,
 * error thrown), failed into an incident, or activatable again (failed with retries left, or timed out).
 */
final class StandInJobs {

  enum State { ACTIVATABLE, ACTIVATED, COMPLETED, ERROR_THROWN, FAILED }

  /** What a test puts in: one job waiting for a worker of its type. */
  record NewJob(String type, String tenantId, Map<String, Object> variables, Map<String, String> headers,
      int retries) {}

  static final class Job {
    final long key;
    final NewJob spec;
    State state = State.ACTIVATABLE;
    int retries;
    long activatableAtNanos;
    long deadlineNanos;
    long activatedAtNanos;
    String worker;

    Job(long key, NewJob spec) {
      this.key = key;
      this.spec = spec;
      this.retries = spec.retries();
    }
  }

  /** Why the gateway refused a command, as Camunda's ProblemDetail names it. */
  record Rejection(int status, String title, String detail) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Long, Job> jobs = new LinkedHashMap<>();
  private final AtomicLong keys = new AtomicLong(2251799813685249L);

  long add(NewJob spec) {
    lock.lock();
    try {
      long key = keys.getAndIncrement();
      Job job = new Job(key, spec);
      job.activatableAtNanos = System.nanoTime();
      jobs.put(key, job);
      changed.signalAll();
      return key;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Activates up to {@code max} jobs of {@code type} for {@code tenantIds}, waiting up to {@code longPoll} for one to
   * become activatable when none is, as the gateway's long polling does.
   */
  List<Job> activate(String type, Set<String> tenantIds, int max, Duration jobTimeout, String worker,
      Duration longPoll) throws InterruptedException {
    long deadline = System.nanoTime() + longPoll.toNanos();
    lock.lock();
    try {
      while (true) {
        List<Job> taken = take(type, tenantIds, max, jobTimeout, worker);
        long left = deadline - System.nanoTime();
        if (!taken.isEmpty() || left <= 0) return taken;
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<Job> take(String type, Set<String> tenantIds, int max, Duration jobTimeout, String worker) {
    long now = System.nanoTime();
    List<Job> taken = new ArrayList<>();
    for (Job job : jobs.values()) {
      if (taken.size() >= max) break;
      if (job.state == State.ACTIVATED && job.deadlineNanos <= now) job.state = State.ACTIVATABLE;
      if (job.state != State.ACTIVATABLE || job.activatableAtNanos > now) continue;
      if (!job.spec.type().equals(type) || !tenantIds.contains(job.spec.tenantId())) continue;
      job.state = State.ACTIVATED;
      job.deadlineNanos = now + jobTimeout.toNanos();
      job.activatedAtNanos = now;
      job.worker = worker;
      taken.add(job);
    }
    return taken;
  }

  /** Applies a complete, fail or throw-error command, or says why the gateway would refuse it. */
  Optional<Rejection> apply(long key, String command, JsonNode body) {
    lock.lock();
    try {
      Job job = jobs.get(key);
      String verb = switch (command) {
        case "completion" -> "complete";
        case "failure" -> "fail";
        default -> "throw an error for";
      };
      if (job == null || job.state == State.COMPLETED || job.state == State.ERROR_THROWN) {
        return Optional.of(new Rejection(404, "NOT_FOUND", "Command '" + command.toUpperCase() + "' rejected with code "
            + "'NOT_FOUND': Expected to " + verb + " job with key '" + key + "', but no such job was found"));
      }
      boolean activated = job.state == State.ACTIVATED && job.deadlineNanos > System.nanoTime();
      // a job may be completed whether or not it is activated; failing it or throwing an error needs the activation
      if (job.state == State.FAILED || (!activated && !command.equals("completion"))) {
        String state = job.state == State.FAILED ? "FAILED" : "ACTIVATABLE";
        return Optional.of(new Rejection(409, "INVALID_STATE", "Command '" + command.toUpperCase() + "' rejected with "
            + "code 'INVALID_STATE': Expected to " + verb + " activated job with key '" + key + "', but it is in state '"
            + state + "'"));
      }
      switch (command) {
        case "completion" -> job.state = State.COMPLETED;
        case "error" -> job.state = State.ERROR_THROWN;
        default -> {
          job.retries = body.path("retries").asInt(0);
          if (job.retries > 0) {
            job.state = State.ACTIVATABLE;
            job.activatableAtNanos = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(body.path("retryBackOff").asLong(0));
          } else {
            job.state = State.FAILED;
          }
        }
      }
      changed.signalAll();
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** The job's lock runs out now, and another worker takes it and ends it with {@code outcome}. */
  void handToAnotherWorker(long key, State outcome) {
    lock.lock();
    try {
      jobs.get(key).state = outcome;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes a job handed back with a backoff activatable at once, as if the backoff had passed. */
  void skipBackoff(long key) {
    lock.lock();
    try {
      jobs.get(key).activatableAtNanos = System.nanoTime();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  State state(long key) {
    lock.lock();
    try {
      return jobs.get(key).state;
    } finally {
      lock.unlock();
    }
  }
}
