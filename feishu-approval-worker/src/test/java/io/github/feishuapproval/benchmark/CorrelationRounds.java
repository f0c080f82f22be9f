package io.github.feishuapproval.benchmark;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessMessageSubscriptionIntent;
import io.camunda.zeebe.protocol.record.value.ProcessMessageSubscriptionRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Rounds of messages into waiting instances, for the scenarios where Feishu or a flow tells the worker something:
 * instances wait at a message catch event keyed by {@code key}, a sender hands one message per instance to the
 * worker, and each is timed from its send to the engine's record of the message correlated.
 */
final class CorrelationRounds {

  /** Sends the message for {@code key} to the worker; completes true when the worker answered it accepted. */
  interface Sender {
    CompletableFuture<Boolean> send(int index, String key);
  }

  /** What one round came to. */
  record Round(long[] latencies, double perSecond, int correlated, int refused) {
    long percentile(double p) {
      if (latencies.length == 0) return -1;
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return sorted[Math.max(0, Math.min((int) Math.ceil(p / 100.0 * sorted.length) - 1, sorted.length - 1))];
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  private final CamundaClient camunda;
  private final JobRecords records;
  private final String process;
  private int round;

  /** Deploys {@code process}: one catch event for the message {@code messageName}, keyed by the variable key. */
  CorrelationRounds(CamundaClient camunda, JobRecords records, String process, String messageName) {
    this.camunda = camunda;
    this.records = records;
    this.process = process;
    camunda.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess(process)
        .startEvent()
        .intermediateCatchEvent("Decision", event -> event.message(m -> m.name(messageName)
            .zeebeCorrelationKeyExpression("key")))
        .endEvent()
        .done(), process + ".bpmn").send().join();
  }

  /** {@code count} instances, then one message each, at most {@code underWay} sent and not yet answered. */
  Round measure(int count, int underWay, Sender sender) throws Exception {
    String prefix = process + "-r" + (++round) + "-";
    Map<String, Long> subscribed = new ConcurrentHashMap<>();
    Map<String, Long> correlated = new ConcurrentHashMap<>();
    JobRecords.Watcher watcher = record -> {
      if (record.getRecordType() != RecordType.EVENT
          || record.getValueType() != ValueType.PROCESS_MESSAGE_SUBSCRIPTION) {
        return;
      }
      String key = ((ProcessMessageSubscriptionRecordValue) record.getValue()).getCorrelationKey();
      if (key == null || !key.startsWith(prefix)) return;
      if (record.getIntent() == ProcessMessageSubscriptionIntent.CREATED) subscribed.put(key, record.getTimestamp());
      if (record.getIntent() == ProcessMessageSubscriptionIntent.CORRELATED) {
        correlated.put(key, record.getTimestamp());
      }
    };
    records.watch(watcher);
    try {
      createWaiting(prefix, count);
      await(() -> subscribed.size() >= count, "subscriptions");

      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      AtomicInteger refused = new AtomicInteger();
      Semaphore slots = new Semaphore(underWay);
      List<CompletableFuture<Void>> answers = new ArrayList<>();
      long firstSent = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        slots.acquire();
        sentAt.put(key, System.currentTimeMillis());
        answers.add(sender.send(i, key).handle((accepted, failure) -> {
          if (failure != null || !Boolean.TRUE.equals(accepted)) refused.incrementAndGet();
          slots.release();
          return null;
        }));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      await(() -> correlated.size() >= count - refused.get(), "correlations");

      long[] latencies = correlated.entrySet().stream()
          .mapToLong(e -> e.getValue() - sentAt.getOrDefault(e.getKey(), e.getValue())).toArray();
      long last = correlated.values().stream().mapToLong(Long::longValue).max().orElse(firstSent);
      double perSecond = last <= firstSent ? 0 : correlated.size() * 1000.0 / (last - firstSent);
      return new Round(latencies, perSecond, correlated.size(), refused.get());
    } finally {
      records.unwatch(watcher);
    }
  }

  private void createWaiting(String prefix, int count) {
    List<CompletableFuture<?>> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      created.add(camunda.newCreateInstanceCommand().bpmnProcessId(process).latestVersion()
          .variables(Map.of("key", prefix + i)).send().toCompletableFuture());
      if (created.size() == 200) {
        CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
        created.clear();
      }
    }
    CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
  }

  private void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      records.poll();
      if (done.getAsBoolean()) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("no " + what + " within " + TIMEOUT);
      Thread.sleep(20);
    }
  }
}
