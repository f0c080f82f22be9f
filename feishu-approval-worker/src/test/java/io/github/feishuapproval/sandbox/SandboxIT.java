package io.github.feishuapproval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.testsupport.ThisJava;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code ./mvnw spring-boot:test-run}, runs {@link Sandbox} in a JVM of its own. This
 * runs it the same way, from the test class path in the project directory, and holds it to its own verdict: every
 * scenario ended as it says and sent Feishu the calls it says, and the process exited 0.
 */
class SandboxIT {

  private static final long TIMEOUT_SECONDS = 180;

  @Test
  void everyScenarioOfTheSandboxEndsAsItSays() throws IOException, InterruptedException {
    Path output = Files.createTempFile("sandbox", ".log");
    String java = ThisJava.executable();
    Process sandbox = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        Sandbox.class.getName()))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean exited = sandbox.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) sandbox.destroyForcibly().waitFor();
    String printed = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(exited).as("the sandbox ends by itself; it printed:%n%s", printed).isTrue();
    assertThat(printed)
        .as("what the sandbox printed")
        .contains("1. Reject succeeds", "10. A store app rejects", "11. Escalation: nobody reviewed within 48 h, auto-reject",
            "12. aPaaS escalation: reminded after 48 h, the approver then decides",
            "13. aPaaS escalation: nobody decides, reminded at 48 h, rejected at 72 h, the flow reports it",
            "14. Feishu Approval: started, approved within 48 h, the decision pushed back as an event",
            "15. Feishu Approval: nobody decides within 48 h, the pending task is rejected",
            "16. Feishu Approval over the long connection (no public URL): approved within 48 h")
        .doesNotContain("!! expected")
        .contains(Sandbox.ALL_AS_EXPECTED);
    assertThat(sandbox.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
    Files.deleteIfExists(output);
  }
}
