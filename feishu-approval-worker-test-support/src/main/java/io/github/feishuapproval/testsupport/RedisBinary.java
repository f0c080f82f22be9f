package io.github.feishuapproval.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import redis.embedded.core.ExecutableProvider;

/**
 * The {@code redis-server} the tests start: the machine's own where it has one, else the one the embedded-redis
 * artifact carries (Redis 6.2 for Linux on amd64 and arm64, and macOS), so that no test needs a system package.
 */
public final class RedisBinary {

  /** Where Debian's redis-server package puts it. */
  static final Path INSTALLED = Path.of("/usr/bin/redis-server");
  private static final String NAME = "redis-server";

  private static Path bundled;

  private RedisBinary() {}

  /** The installed binary, else {@code redis-server} on the PATH, else the bundled one, extracted once per JVM. */
  public static Path locate() {
    return installed(INSTALLED).orElseGet(RedisBinary::bundled);
  }

  static Optional<Path> installed(Path usual) {
    if (Files.isExecutable(usual)) return Optional.of(usual);
    try {
      return Optional.of(ExecutableProvider.newExecutableInPath(NAME).get().toPath());
    } catch (IOException | RuntimeException notOnPath) {
      return Optional.empty();
    }
  }

  /** The binary embedded-redis carries for this OS and architecture, written to a temporary file it deletes on exit. */
  public static synchronized Path bundled() {
    if (bundled != null) return bundled;
    try {
      bundled = ExecutableProvider.newJarResourceProvider().get().toPath();
      return bundled;
    } catch (IOException | RuntimeException none) {
      throw new IllegalStateException("No redis-server for the tests: none at " + INSTALLED + " or on the PATH, and "
          + "embedded-redis carries none for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
          + " (" + none.getMessage() + "); install Redis 6.2 or newer", none);
    }
  }
}
