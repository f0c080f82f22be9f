package io.github.feishuapproval.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A reference worker in a JVM of its own, so that its heap and memory are its own: {@code ceiling} completes jobs
 * without calling anything, {@code peer} calls the official Lark SDK. (Ours runs from the jar as shipped.)
 * It reports on stderr ({@code ready}, then {@code heap <used> <committed>} twice a second) and stops when its
 * stdin closes, or after {@link #LIFETIME_MILLIS} whatever happens.
 */
public final class WorkerProcess {

  static final long LIFETIME_MILLIS = 15 * 60 * 1000;

  private WorkerProcess() {}

  public static void main(String[] args) throws IOException {
    Thread lifetime = new Thread(() -> {
      try {
        Thread.sleep(LIFETIME_MILLIS);
      } catch (InterruptedException ignored) {
        return;
      }
      Runtime.getRuntime().halt(3);
    }, "lifetime");
    lifetime.setDaemon(true);
    lifetime.start();

    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    ConfigurableApplicationContext context = switch (args[0]) {
      case "ceiling" -> new SpringApplicationBuilder(CeilingWorker.class).web(WebApplicationType.NONE).run(rest);
      case "peer" -> new SpringApplicationBuilder(LarkSdkWorker.class).web(WebApplicationType.NONE).run(rest);
      default -> throw new IllegalArgumentException("unknown worker " + args[0]);
    };
    System.err.println("ready " + ManagementFactory.getRuntimeMXBean().getUptime());

    Thread heap = new Thread(() -> {
      while (true) {
        MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.err.println("heap " + usage.getUsed() + " " + usage.getCommitted());
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-report");
    heap.setDaemon(true);
    heap.start();

    while (System.in.read() != -1) {
      // the parent closes stdin to stop this worker
    }
    context.close();
    System.exit(0);
  }
}
