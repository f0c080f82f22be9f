package io.github.feishuapproval.config;

import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.worker.JobEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Feishu calls, token fetches, quota waits and job outcomes as Micrometer meters. In Prometheus:
 * {@code feishu_calls_seconds}, {@code feishu_token_fetches_total}, {@code feishu_quota_wait_seconds},
 * {@code feishu_quota_handbacks_total}, {@code feishu_quota_slots_missed_total} and {@code feishu_jobs_total}.
 */
public final class MicrometerEvents implements FeishuEvents, JobEvents {

  private final MeterRegistry registry;

  public MicrometerEvents(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void callFinished(String app, String operation, String outcome, int code, Duration elapsed) {
    Timer.builder("feishu.calls")
        .description("HTTP calls to Feishu's approval APIs, by operation, outcome class and Feishu code")
        .tags("app", app, "operation", operation, "outcome", outcome, "code", code < 0 ? "none" : Integer.toString(code))
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed);
  }

  @Override
  public void tokenFetched(String app, boolean issued) {
    Counter.builder("feishu.token.fetches")
        .description("tenant_access_token requests, by result")
        .tags("app", app, "result", issued ? "issued" : "failed")
        .register(registry)
        .increment();
  }

  @Override
  public void quotaWaited(String app, String operation, Duration delay) {
    Timer.builder("feishu.quota.wait")
        .description("time calls waited for a slot of the app's per-API quota")
        .tags("app", app, "operation", operation)
        .register(registry)
        .record(delay);
  }

  @Override
  public void quotaRefused(String app, String operation) {
    Counter.builder("feishu.quota.handbacks")
        .description("jobs handed back to the engine because the next quota slot was too far away")
        .tags("app", app, "operation", operation)
        .register(registry)
        .increment();
  }

  @Override
  public void quotaSlotMissed(String app, String operation, String reason) {
    Counter.builder("feishu.quota.slots.missed")
        .description("quota slots a call waited for and did not use: it came late, or the shared store took it back")
        .tags("app", app, "operation", operation, "reason", reason)
        .register(registry)
        .increment();
  }

  @Override
  public void jobAnswered(String jobType, String outcome) {
    Counter.builder("feishu.jobs")
        .description("jobs answered, by job type and outcome: completed, bpmn_error, failed (comes back), incident")
        .tags("type", jobType, "outcome", outcome)
        .register(registry)
        .increment();
  }
}
