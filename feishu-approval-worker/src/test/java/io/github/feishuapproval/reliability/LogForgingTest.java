package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Text with line breaks and terminal control sequences, in process data and in Feishu's answers, run through every
 * path that logs: no captured line may begin with text that came from outside.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogForgingTest extends ReliabilityTestSupport {

  private static final String FORGED =
      "FORGED 2026-11-24T00:00:00.000Z  INFO 1 --- [main] i.g.f.worker.FeishuJobHandler : Job done";
  private static final List<String> BREAKS =
      List.of("\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085", "\u001b[1A\u001b[2K\r", "\u000b", "\f");
  /** Every character a terminal or a log viewer may take for the end of a line. */
  private static final Pattern LINE_END = Pattern.compile("\r\n|[\n\r\u2028\u2029\u0085\u000b\f]");

  @Test
  void opinionWithLineBreaksAndControlCharactersCannotStartALogLine(CapturedOutput output) {
    List<Long> instances = new ArrayList<>();
    for (String lineBreak : BREAKS) {
      String opinion = "拒绝" + lineBreak + FORGED;
      String ok = newTaskId();
      instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", ok, "userId", "1", "opinion", opinion)));
      String refused = newTaskId();
      FEISHU.script(refused, Fault.paramInvalid());
      instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", refused, "userId", "1", "opinion", opinion)));
      String flaky = newTaskId();
      FEISHU.script(flaky, Fault.badGateway(), Fault.rateLimited(1));
      instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", flaky, "userId", "1", "opinion", opinion)));
      instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", newTaskId(), "userId", "1",
          "opinion", opinion + "x".repeat(5000))));
      instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", "1" + lineBreak + FORGED,
          "userId", "1" + lineBreak + FORGED, "opinion", opinion)));
    }

    awaitEndings(instances);

    assertNoLineStartsWithForgedText(output);
  }

  @Test
  void feishuMessagesAndBodyLogIdsWithLineBreaksCannotStartALogLine(CapturedOutput output) {
    List<Long> instances = new ArrayList<>();
    for (String lineBreak : BREAKS) {
      String injected = "x" + lineBreak + FORGED;
      String body = "{\"code\":%d,\"msg\":\"" + json(injected) + "\",\"error\":{\"log_id\":\"" + json(injected)
          + "\"}}";
      String business = newTaskId();
      FEISHU.script(business, new Fault.WithoutLogId(400, body.formatted(2320001)));
      String failing = newTaskId();
      FEISHU.script(failing, new Fault.WithoutLogId(500, body.formatted(2320002)), Fault.code(400, 99991672, injected));
      String limited = newTaskId();
      FEISHU.script(limited, new Fault.WithoutLogId(429, body.formatted(99991400)), Fault.code(400, 2320004, injected));
      for (String task : List.of(business, failing, limited)) {
        instances.add(start(QUICK_PROCESS, Map.of("approvalTaskId", task, "userId", "1783981209205788")));
      }
    }

    awaitEndings(instances);

    assertNoLineStartsWithForgedText(output);
  }

  /** Moves engine time on for retries and rate-limit waits, only while the worker holds no job. */
  private void awaitEndings(List<Long> instances) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (long instance : instances) {
      while (PROBE.endingOf(instance).isEmpty()) {
        assertThat(System.nanoTime()).as("instance %d still running", instance).isLessThan(deadline);
        if (workers.jobsInFlight() == 0) ENGINE.increaseTime(Duration.ofSeconds(4));
        sleep();
      }
    }
  }

  private static void assertNoLineStartsWithForgedText(CapturedOutput output) {
    String all = output.getAll();
    assertThat(all).as("the worker logged its jobs").contains("FeishuJobHandler");
    String[] lines = LINE_END.split(all);
    List<String> forged = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].stripLeading().startsWith("FORGED")) forged.add(lines[i - 1] + " <LINE BREAK> " + lines[i]);
    }
    assertThat(forged).as("lines that begin with text from outside").isEmpty();
    assertThat(all).as("terminal escape sequences").doesNotContain("\u001b[");
  }

  private static String json(String text) {
    StringBuilder escaped = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) escaped.append(String.format("\\u%04x", (int) c));
      else escaped.append(c);
    }
    return escaped.toString();
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
