package dev.telemetrykit.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU-time companion of {@link LogEncodeBenchmark} for a shared, overloaded machine, where
 * wall-clock nanoseconds mostly measure other processes: one encoder on one event shape, in its
 * own JVM (like a JMH fork, so the JIT's type profiles see only that encoder), timed by this
 * thread's CPU time in short blocks after a warm-up; prints the median CPU ns per encode.
 * A driver runs plain LLE and TelemetryKit in adjacent JVMs, alternating the order, and takes
 * the median of the pairwise ratios ({@code benchmarks/log-encode-ab.sh}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.telemetrykit.benchmarks.LogEncodeCpuAB
 * realistic plain|telemetryKit|regexMasks|ab [warmupSeconds=4] [blocks=30] [blockMillis=20]}
 * ({@code ab}: both encoders interleaved in this JVM, see {@link #interleaved});
 * {@code -DmdcValues=perLine|perRequest} changes the MDC value objects as
 * {@link LogEncodeBenchmark#mdcValues} describes.
 */
public final class LogEncodeCpuAB {

  private LogEncodeCpuAB() {}

  /** Measures one encoder on one shape and prints {@code shape side cpu_ns_per_op}. */
  public static void main(String[] args) throws IOException {
    String shape = args[0];
    String side = args[1];
    double warmupSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 4;
    int blocks = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    long blockNanos = (args.length > 4 ? Long.parseLong(args[4]) : 20) * 1_000_000L;
    if (side.equals("ab")) {
      interleaved(shape, warmupSeconds, blocks, blockNanos);
      return;
    }
    int which;
    switch (side) {
      case "plain":
        which = 0;
        break;
      case "telemetryKit":
        which = 1;
        break;
      case "regexMasks":
        which = 2;
        break;
      default:
        throw new IllegalArgumentException("side must be plain, telemetryKit or regexMasks: " + side);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    LogEncodeBenchmark b = new LogEncodeBenchmark();
    b.shape = shape;
    b.mdcValues = System.getProperty("mdcValues", "repeated");
    b.setUp();
    try {
      int ops = warmUp(b, new int[] {which}, warmupSeconds, blockNanos, mx);
      double[] perOp = new double[blocks];
      for (int i = 0; i < blocks; i++) {
        perOp[i] = block(b, which, ops, mx);
      }
      Arrays.sort(perOp);
      System.out.println(String.format(Locale.ROOT, "%s %s %.1f %.1f %.1f", shape, side,
          perOp[blocks / 2], perOp[blocks / 4], perOp[(3 * blocks) / 4]));
    } finally {
      b.tearDown();
    }
  }

  /**
   * Plain LLE and TelemetryKit in one JVM, in adjacent blocks (order swapped every pair), so
   * both see the same machine load within milliseconds; prints the median of the pairwise
   * CPU-time ratios and its quartiles. The JIT sees both encoders here (LLE's call sites see
   * two generator classes), unlike a JMH fork.
   */
  private static void interleaved(String shape, double warmupSeconds, int pairs, long blockNanos)
      throws IOException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    LogEncodeBenchmark b = new LogEncodeBenchmark();
    b.shape = shape;
    b.mdcValues = System.getProperty("mdcValues", "repeated");
    b.setUp();
    try {
      int ops = warmUp(b, new int[] {0, 1}, warmupSeconds, blockNanos, mx);
      double[] plain = new double[pairs];
      double[] tk = new double[pairs];
      double[] ratio = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        if (p % 2 == 0) {
          plain[p] = block(b, 0, ops, mx);
          tk[p] = block(b, 1, ops, mx);
        } else {
          tk[p] = block(b, 1, ops, mx);
          plain[p] = block(b, 0, ops, mx);
        }
        ratio[p] = tk[p] / plain[p];
      }
      Arrays.sort(plain);
      Arrays.sort(tk);
      Arrays.sort(ratio);
      System.out.println(String.format(Locale.ROOT,
          "%s ab plain %.1f tk %.1f ratio %.3f (p25 %.3f, p75 %.3f, %d pairs)", shape,
          plain[pairs / 2], tk[pairs / 2], ratio[pairs / 2], ratio[pairs / 4],
          ratio[(3 * pairs) / 4], pairs));
    } finally {
      b.tearDown();
    }
  }

  /**
   * Runs blocks of each side in turn for {@code warmupSeconds}, sizing a block to about
   * {@code blockNanos} of the first side's CPU time; returns the operations per block.
   */
  private static int warmUp(LogEncodeBenchmark b, int[] sides, double warmupSeconds,
      long blockNanos, ThreadMXBean mx) throws IOException {
    int ops = 10;
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    while (System.nanoTime() < warmEnd) {
      double ns = block(b, sides[0], ops, mx);
      for (int k = 1; k < sides.length; k++) {
        block(b, sides[k], ops, mx);
      }
      ops = (int) Math.max(1, Math.min(5_000_000, blockNanos / Math.max(1.0, ns)));
    }
    return ops;
  }

  /** CPU nanoseconds per operation of one block. */
  private static double block(LogEncodeBenchmark b, int side, int ops, ThreadMXBean mx)
      throws IOException {
    long start = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < ops; i++) {
      switch (side) {
        case 0:
          b.plainLogstashEncoder();
          break;
        case 1:
          b.telemetryKitEncoder();
          break;
        default:
          b.logstashEncoderWithRegexMasks();
          break;
      }
    }
    return (mx.getCurrentThreadCpuTime() - start) / (double) ops;
  }
}
