package io.github.feishuapproval.benchmark;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobBatchIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceCreationIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobBatchRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceCreationRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the engine's records as they are written and times one batch of jobs from them: the engine's own timestamps,
 * so neither the worker nor the benchmark's threads are trusted to report when a job was activated or completed.
 */
final class JobRecords {

  /** What the records say about one batch. Times are epoch milliseconds as the engine stamped them. */
  record Batch(int jobs, int completed, long firstCreated, long firstActivated, long firstCompleted,
      long lastCompleted, long[] latenciesMillis, int failures, int incidents, double meanUnfinished,
      MachineLoad.Use cpu) {

    /** The same batch, with the CPU that the worker, the engine's JVM and other processes used while it ran. */
    Batch withCpu(MachineLoad.Use use) {
      return new Batch(jobs, completed, firstCreated, firstActivated, firstCompleted, lastCompleted, latenciesMillis,
          failures, incidents, meanUnfinished, use);
    }

    double jobsPerSecond() {
      long span = lastCompleted - firstCreated;
      return span <= 0 ? 0 : completed * 1000.0 / span;
    }

    long latencyPercentile(double p) {
      if (latenciesMillis.length == 0) return -1;
      long[] sorted = latenciesMillis.clone();
      Arrays.sort(sorted);
      int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    boolean done() {
      return completed + incidents >= jobs;
    }
  }

  /** Anything that reads the records as they come. */
  interface Watcher {
    void take(Record<?> record);
  }

  /** One batch being watched: process {@code processId}, whose service task has job type {@code jobType}. */
  final class Tracker implements Watcher {
    private final String processId;
    private final String jobType;
    private final int jobs;
    private long firstCreated = Long.MAX_VALUE;
    private long firstActivated = Long.MAX_VALUE;
    private long firstCompleted = Long.MAX_VALUE;
    private long lastCompleted;
    private final Map<Long, Long> activatedAt = new HashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private int failures;
    private int incidents;
    /** Instances created and not yet settled, and that count integrated over the engine's clock. */
    private int unfinished;
    private long unfinishedSince;
    private double unfinishedMillis;

    private Tracker(String processId, String jobType, int jobs) {
      this.processId = processId;
      this.jobType = jobType;
      this.jobs = jobs;
    }

    /**
     * Reads until every job completed or raised an incident, the worker is gone, or {@code timeout} has passed;
     * never longer. Stops watching then.
     */
    Batch await(Duration timeout, java.util.function.BooleanSupplier workerAlive) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (true) {
          Batch batch = read();
          if (batch.done() || System.nanoTime() > deadline || !workerAlive.getAsBoolean()) return batch;
          Thread.sleep(20);
        }
      } finally {
        stopWatching(this);
      }
    }

    /** Jobs that completed or raised an incident so far. */
    int settled() {
      synchronized (JobRecords.this) {
        drain();
        return latencies.size() + incidents;
      }
    }

    Batch read() {
      synchronized (JobRecords.this) {
        drain();
        long[] millis = latencies.stream().mapToLong(Long::longValue).toArray();
        long span = lastCompleted - firstCreated;
        return new Batch(jobs, latencies.size(), firstCreated, firstActivated, firstCompleted, lastCompleted, millis,
            failures, incidents, span <= 0 ? 0 : unfinishedMillis / span, MachineLoad.Use.NONE);
      }
    }

    /** Counts {@code change} instances in or out at {@code at}, after adding the time the count before it lasted. */
    private void unfinished(long at, int change) {
      if (unfinished > 0) unfinishedMillis += (double) unfinished * Math.max(0, at - unfinishedSince);
      unfinishedSince = Math.max(unfinishedSince, at);
      unfinished += change;
    }

    @Override
    public void take(Record<?> r) {
      if (r.getRecordType() != RecordType.EVENT) return;
      ValueType type = r.getValueType();
      if (type == ValueType.PROCESS_INSTANCE_CREATION && r.getIntent() == ProcessInstanceCreationIntent.CREATED
          && ((ProcessInstanceCreationRecordValue) r.getValue()).getBpmnProcessId().equals(processId)) {
        firstCreated = Math.min(firstCreated, r.getTimestamp());
        unfinished(r.getTimestamp(), 1);
      } else if (type == ValueType.JOB_BATCH && r.getIntent() == JobBatchIntent.ACTIVATED
          && ((JobBatchRecordValue) r.getValue()).getType().equals(jobType)) {
        firstActivated = Math.min(firstActivated, r.getTimestamp());
        // the first activation counts: a job handed back and taken again waits on the user's clock too
        ((JobBatchRecordValue) r.getValue()).getJobKeys().forEach(key -> activatedAt.putIfAbsent(key, r.getTimestamp()));
      } else if (type == ValueType.JOB && ((JobRecordValue) r.getValue()).getType().equals(jobType)) {
        if (r.getIntent() == JobIntent.COMPLETED) {
          Long activated = activatedAt.get(r.getKey());
          if (activated != null) latencies.add(r.getTimestamp() - activated);
          firstCompleted = Math.min(firstCompleted, r.getTimestamp());
          lastCompleted = Math.max(lastCompleted, r.getTimestamp());
          unfinished(r.getTimestamp(), -1);
        } else if (r.getIntent() == JobIntent.FAILED) {
          failures++;
        }
      } else if (type == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED
          && ((IncidentRecordValue) r.getValue()).getBpmnProcessId().equals(processId)) {
        incidents++;
        unfinished(r.getTimestamp(), -1);
      }
    }
  }

  private final ZeebeTestEngine engine;
  /** The engine's own list of the records it has handed out, emptied after each read; null where it is out of reach. */
  private final List<Record<?>> handedOut;
  private final List<Watcher> watching = new ArrayList<>();
  /** Records of the engine's list already read; stays 0 while {@link #handedOut} is emptied after each read. */
  private int read;

  JobRecords(ZeebeTestEngine engine) {
    this.engine = engine;
    this.handedOut = handedOut(engine);
  }

  /** Whether records are dropped once read, so that a long run does not fill the engine's heap with them. */
  boolean dropsRecords() {
    return handedOut != null;
  }

  /** Starts watching at the records written from now on. */
  synchronized Tracker track(String processId, String jobType, int jobs) {
    drain();
    Tracker tracker = new Tracker(processId, jobType, jobs);
    watching.add(tracker);
    return tracker;
  }

  private synchronized void stopWatching(Watcher watcher) {
    watching.remove(watcher);
  }

  /** Hands {@code watcher} every record written from now on, at each {@link #poll}, until {@link #unwatch}. */
  synchronized void watch(Watcher watcher) {
    drain();
    watching.add(watcher);
  }

  synchronized void unwatch(Watcher watcher) {
    drain();
    watching.remove(watcher);
  }

  /** Reads the records written since the last read. */
  synchronized void poll() {
    drain();
  }

  /**
   * Hands every record written since the last call to the trackers, then drops them. The embedded engine's log may be
   * caught half-way through an append, which its reader reports by throwing; the records read before that are taken,
   * and the next call goes on from there.
   */
  private void drain() {
    List<Record<?>> records;
    try {
      records = asList(engine.getRecordStreamSource().getRecords());
    } catch (RuntimeException halfWritten) {
      if (handedOut == null) return;
      records = handedOut;
    }
    for (int i = read; i < records.size(); i++) {
      Record<?> record = records.get(i);
      watching.forEach(tracker -> tracker.take(record));
    }
    if (handedOut != null) {
      handedOut.clear();
    } else {
      read = records.size();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Record<?>> asList(Iterable<Record<?>> source) {
    if (source instanceof List list) return list;
    List<Record<?>> copy = new ArrayList<>();
    source.forEach(copy::add);
    return copy;
  }

  /**
   * Zeebe Process Test's record stream keeps every record it has read for its assertions, which the benchmark does not
   * use: over tens of thousands of jobs the engine's JVM would spend its time collecting garbage, not running jobs.
   * Its list is reached by reflection; where that fails (another version of the engine), the records are kept.
   */
  @SuppressWarnings("unchecked")
  private static List<Record<?>> handedOut(ZeebeTestEngine engine) {
    try {
      Object source = engine.getRecordStreamSource();
      java.lang.reflect.Field field = source.getClass().getDeclaredField("records");
      field.setAccessible(true);
      return field.get(source) instanceof List<?> list ? (List<Record<?>>) list : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
