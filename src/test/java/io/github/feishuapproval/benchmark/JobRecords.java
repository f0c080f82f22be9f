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
      long lastCompleted, long[] latenciesMillis, int failures, int incidents, MachineLoad.Use cpu) {

    /** The same batch, with the CPU that the worker, the engine's JVM and other processes used while it ran. */
    Batch withCpu(MachineLoad.Use use) {
      return new Batch(jobs, completed, firstCreated, firstActivated, firstCompleted, lastCompleted, latenciesMillis,
          failures, incidents, use);
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

  /** One batch being watched: process {@code processId}, whose service task has job type {@code jobType}. */
  final class Tracker {
    private final String processId;
    private final String jobType;
    private final int jobs;
    private int next;
    private long firstCreated = Long.MAX_VALUE;
    private long firstActivated = Long.MAX_VALUE;
    private long firstCompleted = Long.MAX_VALUE;
    private long lastCompleted;
    private final Map<Long, Long> activatedAt = new HashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private int failures;
    private int incidents;

    private Tracker(String processId, String jobType, int jobs, int from) {
      this.processId = processId;
      this.jobType = jobType;
      this.jobs = jobs;
      this.next = from;
    }

    /**
     * Reads until every job completed or raised an incident, the worker is gone, or {@code timeout} has passed;
     * never longer.
     */
    Batch await(Duration timeout, java.util.function.BooleanSupplier workerAlive) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Batch batch = read();
        if (batch.done() || System.nanoTime() > deadline || !workerAlive.getAsBoolean()) return batch;
        Thread.sleep(20);
      }
    }

    /** Jobs that completed or raised an incident so far. */
    int settled() {
      List<Record<?>> all = records();
      for (; next < all.size(); next++) take(all.get(next));
      return latencies.size() + incidents;
    }

    Batch read() {
      settled();
      long[] millis = latencies.stream().mapToLong(Long::longValue).toArray();
      return new Batch(jobs, latencies.size(), firstCreated, firstActivated, firstCompleted, lastCompleted, millis,
          failures, incidents, MachineLoad.Use.NONE);
    }

    private void take(Record<?> r) {
      if (r.getRecordType() != RecordType.EVENT) return;
      ValueType type = r.getValueType();
      if (type == ValueType.PROCESS_INSTANCE_CREATION && r.getIntent() == ProcessInstanceCreationIntent.CREATED
          && ((ProcessInstanceCreationRecordValue) r.getValue()).getBpmnProcessId().equals(processId)) {
        firstCreated = Math.min(firstCreated, r.getTimestamp());
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
        } else if (r.getIntent() == JobIntent.FAILED) {
          failures++;
        }
      } else if (type == ValueType.INCIDENT && r.getIntent() == IncidentIntent.CREATED
          && ((IncidentRecordValue) r.getValue()).getBpmnProcessId().equals(processId)) {
        incidents++;
      }
    }
  }

  private final ZeebeTestEngine engine;
  private List<Record<?>> lastRead = List.of();

  JobRecords(ZeebeTestEngine engine) {
    this.engine = engine;
  }

  /** Starts watching at the records written from now on. */
  Tracker track(String processId, String jobType, int jobs) {
    return new Tracker(processId, jobType, jobs, records().size());
  }

  /**
   * The records so far. The embedded engine's log may be caught half-way through an append, which its reader reports
   * by throwing; the records read before stay, and the next call goes on from there.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Record<?>> records() {
    Iterable<Record<?>> source;
    try {
      source = engine.getRecordStreamSource().getRecords();
    } catch (RuntimeException halfWritten) {
      return lastRead;
    }
    if (source instanceof List list) {
      lastRead = list;
      return list;
    }
    List<Record<?>> copy = new ArrayList<>();
    source.forEach(copy::add);
    lastRead = copy;
    return copy;
  }
}
