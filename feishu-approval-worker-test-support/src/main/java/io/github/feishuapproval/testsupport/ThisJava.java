package io.github.feishuapproval.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The java binary of the JVM running the tests, for child processes that must run on the same JDK. */
public final class ThisJava {

  private ThisJava() {}

  /** {@code java.home}'s {@code bin/java}; else the command this process was started with. */
  public static String executable() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    Path home = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    if (Files.isExecutable(home)) return home.toString();
    return ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM (java.home is "
            + System.getProperty("java.home") + ")"));
  }
}
