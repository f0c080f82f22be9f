package io.github.feishuapproval.testkit;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits on Zeebe Process Test's engine for what a process instance does, read from the engine's records. The Feishu
 * workers poll all the time, so the engine never goes idle and {@code waitForIdleState} runs out; wait for the
 * instance instead:
 *
 * <pre>{@code
 * ProcessWaits waits = ProcessWaits.on(engine);
 * waits.untilActivated(instance, "Review");
 * engine.increaseTime(Duration.ofHours(48));
 * assertThat(waits.untilEnded(instance).endEvent()).contains("AutoRejected");
 * }</pre>
 *
 * Any thread may wait: the records are read from the engine, not from the test thread's record stream.
 */
public final class ProcessWaits {

  /** How a process instance came to rest: completed (at an end event), terminated, or stopped by an incident. */
  public record Ending(State state, Optional<String> endEvent, Optional<String> incident) {

    public enum State { COMPLETED, TERMINATED, INCIDENT }

    public boolean isCompleted() {
      return state == State.COMPLETED;
    }

    @Override
    public String toString() {
      return switch (state) {
        case COMPLETED -> "completed" + endEvent.map(e -> " at " + e).orElse("");
        case TERMINATED -> "terminated";
        case INCIDENT -> "incident: " + incident.orElse("?");
      };
    }
  }

  private static final long POLL_MILLIS = 20;

  private final ZeebeTestEngine engine;
  private final Duration timeout;

  private ProcessWaits(ZeebeTestEngine engine, Duration timeout) {
    this.engine = engine;
    this.timeout = timeout;
  }

  /** Waits up to {@link FeishuAssertions#DEFAULT_ASSERTION_TIMEOUT}. */
  public static ProcessWaits on(ZeebeTestEngine engine) {
    return new ProcessWaits(engine, FeishuAssertions.DEFAULT_ASSERTION_TIMEOUT);
  }

  public ProcessWaits within(Duration timeout) {
    return new ProcessWaits(engine, timeout);
  }

  /** Waits until the instance completed, was terminated or has an incident, and says which. */
  public Ending untilEnded(long processInstanceKey) {
    return await(() -> endingOf(processInstanceKey), "process instance " + processInstanceKey + " to end",
        processInstanceKey);
  }

  /** Waits until the element was activated in the instance (a task, a timer, a receive task...). */
  public void untilActivated(long processInstanceKey, String elementId) {
    await(() -> processInstance(processInstanceKey)
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED
            && r.getValue().getElementId().equals(elementId))
        .findFirst(), elementId + " to be activated in process instance " + processInstanceKey, processInstanceKey);
  }

  /** How the instance came to rest, or empty while it runs. */
  public Optional<Ending> endingOf(long processInstanceKey) {
    Optional<String> incident = stream(records().incidentRecords())
        .filter(r -> r.getIntent() == IncidentIntent.CREATED
            && r.getValue().getProcessInstanceKey() == processInstanceKey)
        .map(r -> r.getValue().getErrorMessage())
        .findFirst();
    if (incident.isPresent()) return Optional.of(new Ending(Ending.State.INCIDENT, Optional.empty(), incident));
    List<Record<ProcessInstanceRecordValue>> records = processInstance(processInstanceKey).toList();
    Optional<String> endEvent = records.stream()
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
            && r.getValue().getBpmnElementType() == BpmnElementType.END_EVENT)
        .map(r -> r.getValue().getElementId())
        .reduce((first, last) -> last);
    for (Record<ProcessInstanceRecordValue> r : records) {
      if (r.getValue().getBpmnElementType() != BpmnElementType.PROCESS) continue;
      if (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED) {
        return Optional.of(new Ending(Ending.State.COMPLETED, endEvent, Optional.empty()));
      }
      if (r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED) {
        return Optional.of(new Ending(Ending.State.TERMINATED, Optional.empty(), Optional.empty()));
      }
    }
    return Optional.empty();
  }

  /** The elements of the instance that are active now, by id, to say where it waits. */
  public List<String> activeElements(long processInstanceKey) {
    Map<Long, String> active = new LinkedHashMap<>();
    processInstance(processInstanceKey)
        .filter(r -> r.getValue().getBpmnElementType() != BpmnElementType.PROCESS)
        .forEach(r -> {
          if (r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED) {
            active.put(r.getKey(), r.getValue().getElementId());
          }
          if (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
              || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED) active.remove(r.getKey());
        });
    return List.copyOf(active.values());
  }

  private <T> T await(Supplier<Optional<T>> condition, String what, long processInstanceKey) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value;
      try {
        value = condition.get();
      } catch (RuntimeException halfWritten) {
        // the engine's log, read while it appends, can fail a read; the next read sees the record whole
        value = Optional.empty();
      }
      if (value.isPresent()) return value.get();
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; "
            + where(processInstanceKey));
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private String where(long processInstanceKey) {
    try {
      return "it is active at " + activeElements(processInstanceKey);
    } catch (RuntimeException halfWritten) {
      return "where it is could not be read";
    }
  }

  private java.util.stream.Stream<Record<ProcessInstanceRecordValue>> processInstance(long processInstanceKey) {
    return stream(records().processInstanceRecords())
        .filter(r -> r.getValue().getProcessInstanceKey() == processInstanceKey);
  }

  private RecordStream records() {
    return RecordStream.of(engine.getRecordStreamSource());
  }

  /** A copy, so that the engine appending meanwhile does not disturb the stream. */
  private static <T> java.util.stream.Stream<T> stream(Iterable<T> records) {
    List<T> copy = new ArrayList<>();
    records.forEach(copy::add);
    return copy.stream();
  }
}
