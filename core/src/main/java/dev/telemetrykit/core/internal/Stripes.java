package dev.telemetrykit.core.internal;

/**
 * How counters written by many threads are split so that running threads rarely write the same
 * cache line: the number of stripes and the stripe of the current thread. Used by the striped
 * histograms and the HTTP in-flight counters.
 */
public final class Stripes {

  /** Stripes per counter on this machine: see {@link #count(int)}. */
  public static final int COUNT = count(Runtime.getRuntime().availableProcessors());
  private static final int MASK = COUNT - 1;

  private Stripes() {}

  /** 4 per CPU, a power of two, 8 to 64: enough that a pool's running workers rarely share. */
  public static int count(int cpus) {
    return Math.min(64, Integer.highestOneBit(Math.max(8, 4 * cpus)));
  }

  /**
   * The current thread's stripe, {@code 0} to {@link #COUNT}{@code - 1}. Thread IDs are handed
   * out in sequence, so the workers of one pool take distinct stripes.
   */
  public static int current() {
    return (int) Thread.currentThread().getId() & MASK;
  }
}
