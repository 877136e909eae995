package dev.telemetrykit.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link JdbcBenchmark}'s raw, {@code telemetryKit} (outside a unit) and
 * {@code telemetryKitInUnit} loops interleaved in one JVM: each round runs the three
 * back to back (order rotated), so a round's ratios compare runs a few milliseconds apart. On a
 * shared machine, where JMH's one-benchmark-after-another runs drift by more than the effect,
 * the median of these per-round ratios is the number to read. Bytes per select come from the
 * thread's allocation counter around each run.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.telemetrykit.benchmarks.JdbcAbMain 300}
 */
public final class JdbcAbMain {

  private JdbcAbMain() {}

  /**
   * Runs the rounds and prints medians.
   *
   * @param args the number of measured rounds (default 300)
   * @throws Exception when H2 fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    JdbcBenchmark b = new JdbcBenchmark();
    b.setUp();
    Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating "
        + "Blackholes directly is dangerous.");
    String[] names = {"raw", "telemetryKit", "telemetryKitInUnit"};
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      run(b, i % 3, bh);
    }
    double[][] ns = new double[3][rounds];
    double[][] bytes = new double[3][rounds];
    long tid = Thread.currentThread().getId();
    for (int r = 0; r < rounds; r++) {
      for (int j = 0; j < 3; j++) {
        int k = (r + j) % 3;
        long a0 = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        run(b, k, bh);
        long t1 = System.nanoTime();
        long a1 = threads.getThreadAllocatedBytes(tid);
        ns[k][r] = (t1 - t0) / (double) JdbcBenchmark.CALLS;
        bytes[k][r] = (a1 - a0) / (double) JdbcBenchmark.CALLS;
      }
    }
    b.tearDown();
    System.out.printf("%d rounds of %d selects per variant%n", rounds, JdbcBenchmark.CALLS);
    for (int k = 0; k < 3; k++) {
      double[] ratio = new double[rounds];
      double[] extra = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = ns[k][r] / ns[0][r];
        extra[r] = bytes[k][r] - bytes[0][r];
      }
      System.out.printf("%-20s median %8.1f ns/select  ratio to raw: median %.3f (p25 %.3f,"
          + " p75 %.3f)  B/select median %.1f  extra B vs raw median %.1f%n", names[k],
          median(ns[k]), median(ratio), pct(ratio, 25), pct(ratio, 75), median(bytes[k]),
          median(extra));
    }
  }

  private static void run(JdbcBenchmark b, int k, Blackhole bh) throws Exception {
    switch (k) {
      case 0 -> b.raw(bh);
      case 1 -> b.telemetryKit(bh);
      default -> b.telemetryKitInUnit(bh);
    }
  }

  private static double median(double[] v) {
    return pct(v, 50);
  }

  private static double pct(double[] v, int p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)];
  }
}
