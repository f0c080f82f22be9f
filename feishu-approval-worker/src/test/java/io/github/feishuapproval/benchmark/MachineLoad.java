package io.github.feishuapproval.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time from /proc: what the worker under test and the benchmark's own JVM (engine and simulator) spent, and how
 * busy the machine's cores were with other processes (the build tool, anything else that shares the machine). A row
 * measured while others used the cores is worth less, and says so.
 */
final class MachineLoad {

  /** Jiffies: busy on all cores, and used by this process and its descendants. */
  record Snapshot(long total, long busy, long ours) {}

  /**
   * CPU used over a stretch of time: milliseconds of CPU time of the worker under test (its process tree) and of this
   * JVM (the embedded engine and the simulator), and the share of the machine that other processes took.
   */
  record Use(long workerMillis, long engineMillis, long compilerMillis, double othersShare) {
    static final Use NONE = new Use(0, 0, 0, 0);
  }

  /** Where a stretch of time starts, for {@link #since}. */
  record Mark(Snapshot machine, long worker, long engine, long compilers) {}

  /**
   * CPU time so far of some JVMs: all of it, and what their JIT compiler threads took of it. While the compilers are
   * busy, the code being measured is not yet the code that runs in a steady state.
   */
  record Compiling(long compilerMillis, long totalMillis) {
    /** The compilers' share of the CPU since {@code before}, 0 to 1. */
    double shareSince(Compiling before) {
      long total = totalMillis - before.totalMillis;
      return total <= 0 ? 0 : (compilerMillis - before.compilerMillis) / (double) total;
    }
  }

  /** Linux counts process CPU time in ticks of 1/100 s (USER_HZ) on every architecture the JDK runs on. */
  private static final long MILLIS_PER_TICK = 10;

  private MachineLoad() {}

  static Snapshot now() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length; i++) total += Long.parseLong(cpu[i]);
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      return new Snapshot(total, total - idle, tree(ProcessHandle.current()));
    } catch (IOException | RuntimeException e) {
      return new Snapshot(0, 0, 0);
    }
  }

  /** The share of the machine's capacity that other processes used since {@code before}, 0 to 1. */
  static double othersSince(Snapshot before) {
    Snapshot after = now();
    long total = after.total() - before.total();
    if (total <= 0) return 0;
    long others = (after.busy() - before.busy()) - (after.ours() - before.ours());
    return Math.max(0, others / (double) total);
  }

  static Mark mark(ProcessHandle worker) {
    return new Mark(now(), tree(worker), jiffies(ProcessHandle.current()),
        compilerJiffies(worker) + compilerJiffies(ProcessHandle.current()));
  }

  /** A mark for a worker about to be spawned: all the CPU it will use counts. */
  static Mark markBeforeSpawn() {
    return new Mark(now(), 0, jiffies(ProcessHandle.current()), compilerJiffies(ProcessHandle.current()));
  }

  static Use since(Mark mark, ProcessHandle worker) {
    return new Use((tree(worker) - mark.worker()) * MILLIS_PER_TICK,
        (jiffies(ProcessHandle.current()) - mark.engine()) * MILLIS_PER_TICK,
        (compilerJiffies(worker) + compilerJiffies(ProcessHandle.current()) - mark.compilers()) * MILLIS_PER_TICK,
        othersSince(mark.machine()));
  }

  /** This JVM (the engine and the simulator) and the process trees of {@code workers}. */
  static Compiling compiling(List<ProcessHandle> workers) {
    long compilers = compilerJiffies(ProcessHandle.current());
    long total = jiffies(ProcessHandle.current());
    for (ProcessHandle worker : workers) {
      compilers += compilerJiffies(worker);
      total += tree(worker);
    }
    return new Compiling(compilers * MILLIS_PER_TICK, total * MILLIS_PER_TICK);
  }

  /** CPU time of the JIT compiler threads in a process tree; HotSpot names them "C1 CompilerThread0" and so on. */
  private static long compilerJiffies(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).mapToLong(process -> {
      Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
      try (Stream<Path> threads = Files.list(tasks)) {
        return threads.mapToLong(thread -> {
          try {
            String stat = Files.readString(thread.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            return name.contains("CompilerThre") ? cpuJiffies(stat) : 0;
          } catch (IOException | RuntimeException gone) {
            return 0;
          }
        }).sum();
      } catch (IOException | RuntimeException gone) {
        return 0;
      }
    }).sum();
  }

  private static long tree(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).mapToLong(MachineLoad::jiffies).sum();
  }

  /** The share of the machine's capacity left idle over the next second, 0 to 1. */
  static double idleOverOneSecond() throws InterruptedException {
    Snapshot before = now();
    Thread.sleep(1000);
    Snapshot after = now();
    long total = after.total() - before.total();
    return total <= 0 ? 1 : 1 - (after.busy() - before.busy()) / (double) total;
  }

  private static long jiffies(ProcessHandle process) {
    try {
      return cpuJiffies(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** User and system time from a process's or a thread's {@code stat} line. */
  private static long cpuJiffies(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
