package io.github.feishuapproval.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's table: one row per measurement, one line per target, and the machine it ran on. */
final class Report {

  /** One worker in one scenario; several rounds are folded into one row by {@link Benchmark}. */
  record Row(String scenario, String worker, int jobs, double jobsPerSecond, long p50Millis, long p99Millis,
      long tokenFetches, long rateLimited, int incidents, double meanUnfinished, long heapBytes, long rssBytes,
      double workerCpuPerJob, double engineCpuPerJob, double compilerShare, double otherCpu) {}

  record Target(String what, String measured, String aim, boolean met) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void row(Row row) {
    rows.add(row);
    System.out.printf(Locale.ROOT, "   %-28s %-24s %6d jobs %8.1f jobs/s  p50 %5d ms  p99 %5d ms  tokens %d  429 %d"
            + "  incidents %d  unfinished %.0f  heap %s  RSS %s  CPU/job worker %.2f ms engine %.2f ms  JIT %.1f%%  others' CPU %.0f%%%n",
        row.scenario(), row.worker(), row.jobs(), row.jobsPerSecond(), row.p50Millis(), row.p99Millis(),
        row.tokenFetches(), row.rateLimited(), row.incidents(), row.meanUnfinished(), mb(row.heapBytes()), mb(row.rssBytes()),
        row.workerCpuPerJob(), row.engineCpuPerJob(), row.compilerShare() * 100, row.otherCpu() * 100);
  }

  void target(String what, String measured, String aim, boolean met) {
    targets.add(new Target(what, measured, aim, met));
  }

  void note(String note) {
    notes.add(note);
  }

  String markdown(String command, Instant ranAt) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `").append(command).append("`; the numbers below are from its last run.\n\n");
    md.append("Ran on ").append(ranAt.truncatedTo(ChronoUnit.SECONDS)).append(": ").append(Machine.describe())
        .append(".\n\n");
    md.append("Ratios are what we quote; absolute rates and times depend on the machine and are context only.\n\n");
    md.append("## Targets\n\n| target | measured | aim | result |\n|---|---|---|---|\n");
    for (Target t : targets) {
      md.append("| ").append(t.what()).append(" | ").append(t.measured()).append(" | ").append(t.aim()).append(" | ")
          .append(t.met() ? "PASS" : "MISS").append(" |\n");
    }
    md.append("\n## Measurements\n\n")
        .append("| scenario | worker | jobs | jobs/s | p50 ms | p99 ms | token fetches | 429 answers | incidents "
            + "| unfinished instances, mean | worker heap | worker RSS | worker CPU ms/job | engine CPU ms/job | JIT share of CPU | others' CPU |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT,
          "| %s | %s | %d | %.1f | %d | %d | %d | %d | %d | %.0f | %s | %s | %.2f | %.2f | %.1f%% | %.0f%% |%n",
          r.scenario(), r.worker(), r.jobs(), r.jobsPerSecond(), r.p50Millis(), r.p99Millis(), r.tokenFetches(),
          r.rateLimited(), r.incidents(), r.meanUnfinished(), mb(r.heapBytes()), mb(r.rssBytes()), r.workerCpuPerJob(),
          r.engineCpuPerJob(), r.compilerShare() * 100, r.otherCpu() * 100));
    }
    md.append("\n## How it was measured\n\n");
    for (String note : notes) md.append("- ").append(note).append('\n');
    return md.toString();
  }

  void write(Path file, String command, Instant ranAt) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown(command, ranAt));
  }

  static String mb(long bytes) {
    return bytes <= 0 ? "n/a" : (bytes + 512 * 1024) / (1024 * 1024) + " MB";
  }

  /** What the table was measured on, read from the machine itself. */
  static final class Machine {
    private Machine() {}

    static String describe() {
      return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + " memory, "
          + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
          + System.getProperty("java.runtime.version") + ", " + System.getProperty("os.name") + " "
          + System.getProperty("os.version");
    }

    private static String cpuModel() {
      return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static String memory() {
      return firstValue(Path.of("/proc/meminfo"), "MemTotal")
          .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
          .orElse("unknown");
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
      try (var lines = Files.lines(file)) {
        return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
      } catch (IOException | RuntimeException e) {
        return java.util.Optional.empty();
      }
    }
  }
}
