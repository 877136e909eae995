package dev.telemetrykit.cache;

/**
 * The metric and label names of the cache module: TelemetryKit's public contract
 * ({@code CONVENTIONS.md}, "Cache"). Dashboards and alert rules query exactly these.
 *
 * <pre>{@code
 * // hit ratio per cache over 5 minutes, in PromQL built from these names:
 * String q = "sum by (" + CacheNames.CACHE + ") (rate(" + CacheNames.GETS
 *     + "{" + CacheNames.RESULT + "=\"" + CacheNames.HIT + "\"}[5m]))";
 * }</pre>
 *
 * @since 0.1.0
 */
public final class CacheNames {

  /** Counter: lookups, label {@link #RESULT} = {@link #HIT} or {@link #MISS}. */
  public static final String GETS = "cache_gets_total";
  /** Counter: entries written by the application. */
  public static final String PUTS = "cache_puts_total";
  /** Counter: entries removed, label {@link #CAUSE} (see {@link EvictionCause}). */
  public static final String EVICTIONS = "cache_evictions_total";
  /**
   * Counter: summed weight of evicted entries, label {@link #CAUSE}; only for Caffeine caches
   * built with a {@code weigher} (for others it would equal {@link #EVICTIONS}).
   */
  public static final String EVICTION_WEIGHT = "cache_eviction_weight_total";
  /** Counter: loads of missing entries, label {@link #RESULT} = {@link #SUCCESS}/{@link #FAILURE}. */
  public static final String LOADS = "cache_loads_total";
  /** Histogram: time spent loading, successful and failed loads alike. */
  public static final String LOAD_DURATION = "cache_load_duration_seconds";
  /** Gauge: estimated number of entries, read at scrape time. */
  public static final String SIZE = "cache_size";

  /** Label: the cache name given by the application. */
  public static final String CACHE = "cache";
  /**
   * Label: the level of a multi-level cache ({@code l1}, {@code l2}, ...). Empty for a cache
   * without tiers; Prometheus drops empty labels, so such series carry no {@code cache_tier}.
   */
  public static final String CACHE_TIER = "cache_tier";
  /** Label of {@link #GETS} and {@link #LOADS}. */
  public static final String RESULT = "result";
  /** Label of {@link #EVICTIONS} and {@link #EVICTION_WEIGHT}. */
  public static final String CAUSE = "cause";

  /** {@link #RESULT} of a lookup that found the entry. */
  public static final String HIT = "hit";
  /** {@link #RESULT} of a lookup that did not find the entry. */
  public static final String MISS = "miss";
  /** {@link #RESULT} of a load that returned a value. */
  public static final String SUCCESS = "success";
  /** {@link #RESULT} of a load that threw (or, for Caffeine, returned {@code null}). */
  public static final String FAILURE = "failure";

  /**
   * Upper bounds of {@link #LOAD_DURATION}'s buckets, in seconds: 1 ms to 10 s, finer at the
   * low end than client_java's default because loads from a local store take a millisecond.
   */
  private static final double[] LOAD_DURATION_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** Component under which failures inside cache instrumentation are counted. */
  public static final String COMPONENT = "cache";

  private CacheNames() {}

  /** Buckets of {@link #LOAD_DURATION}, a copy. */
  public static double[] loadDurationBuckets() {
    return LOAD_DURATION_BUCKETS.clone();
  }
}
