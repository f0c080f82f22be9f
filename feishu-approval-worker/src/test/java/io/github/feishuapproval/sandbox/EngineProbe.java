package io.github.feishuapproval.sandbox;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.TimerIntent;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.github.feishuapproval.testkit.ProcessWaits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/** Reads what the engine recorded about one process instance, waiting where the worker answers asynchronously. */
public final class EngineProbe {

  private final ZeebeTestEngine engine;
  private final Duration timeout;
  private final ProcessWaits waits;

  public EngineProbe(ZeebeTestEngine engine, Duration timeout) {
    this.engine = engine;
    this.timeout = timeout;
    this.waits = ProcessWaits.on(engine).within(timeout);
  }

  /** Waits until the instance completed, was terminated or has an incident: the test kit's wait, as users have it. */
  public ProcessWaits.Ending awaitEnding(long processInstanceKey) {
    return waits.untilEnded(processInstanceKey);
  }

  public Optional<ProcessWaits.Ending> endingOf(long processInstanceKey) {
    return waits.endingOf(processInstanceKey);
  }

  public void awaitElementActivated(long processInstanceKey, String elementId) {
    waits.untilActivated(processInstanceKey, elementId);
  }

  /** Waits until the instance's jobs have failed {@code count} times and returns the failures in order. */
  public List<JobRecordValue> awaitJobFailures(long processInstanceKey, int count) {
    return await(() -> {
      List<JobRecordValue> failures = jobFailures(processInstanceKey);
      return failures.size() >= count ? Optional.of(failures) : Optional.empty();
    }, count + " job failures in " + processInstanceKey);
  }

  public List<JobRecordValue> jobFailures(long processInstanceKey) {
    return stream(records().jobRecords())
        .filter(r -> r.getIntent() == JobIntent.FAILED && r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(Record::getValue)
        .toList();
  }

  /** The times the engine took a job of this instance back from its worker because the job timeout ran out. */
  public List<JobRecordValue> jobTimeouts(long processInstanceKey) {
    return stream(records().jobRecords())
        .filter(r -> r.getIntent() == JobIntent.TIMED_OUT && r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(Record::getValue)
        .toList();
  }

  /** How many timers the instance started so far; a timer event entered again starts a new one. */
  public long timersStarted(long processInstanceKey) {
    try {
      return stream(records().timerRecords())
          .filter(r -> r.getIntent() == TimerIntent.CREATED && r.getValue().getProcessInstanceKey() == processInstanceKey)
          .count();
    } catch (RuntimeException halfWritten) {
      // the engine's log, read while it appends, can fail a read; the next look sees the record whole
      return 0;
    }
  }

  /** Waits until the instance started {@code count} timers. */
  public void awaitTimersStarted(long processInstanceKey, int count) {
    await(() -> timersStarted(processInstanceKey) >= count ? Optional.of(true) : Optional.empty(),
        count + " timers of process instance " + processInstanceKey);
  }

  /** Every record the engine wrote, as JSON: commands, events, variables, incidents and rejections. */
  public List<String> allRecordsAsJson() {
    return stream(records().records()).map(Record::toJson).toList();
  }

  public List<String> incidents(long processInstanceKey) {
    return stream(records().incidentRecords())
        .filter(r -> r.getIntent() == IncidentIntent.CREATED && r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(r -> r.getValue().getErrorMessage())
        .toList();
  }

  /** The latest value of a variable in the instance, as JSON, or empty. */
  public Optional<String> variable(long processInstanceKey, String name) {
    return stream(records().variableRecords())
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey && r.getValue().getName().equals(name))
        .map(r -> r.getValue().getValue())
        .reduce((a, b) -> b);
  }

  public <T> T await(Supplier<Optional<T>> condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> value;
      try {
        value = condition.get();
      } catch (RuntimeException halfWritten) {
        // the embedded engine's log, read while it appends, can fail a read; the next one sees the record whole
        value = Optional.empty();
      }
      if (value.isPresent()) return value.get();
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }

  private RecordStream records() {
    return RecordStream.of(engine.getRecordStreamSource());
  }

  private static <T> java.util.stream.Stream<T> stream(Iterable<T> iterable) {
    List<T> copy = new ArrayList<>();
    iterable.forEach(copy::add);
    return StreamSupport.stream(copy.spliterator(), false);
  }
}
