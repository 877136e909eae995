package dev.telemetrykit.cache.internal;

import static dev.telemetrykit.cache.CacheNames.CACHE;
import static dev.telemetrykit.cache.CacheNames.CACHE_TIER;
import static dev.telemetrykit.cache.CacheNames.CAUSE;
import static dev.telemetrykit.cache.CacheNames.RESULT;

import dev.telemetrykit.cache.CacheNames;
import dev.telemetrykit.cache.EvictionCause;
import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.meter.CallbackFamily;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.Meters;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.EnumMap;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The series of one cache (and tier), bound once: recording is one data-point update, no
 * lookup, no allocation, no lock. Series that a cache cannot feed (puts of a Caffeine cache,
 * explicit removals without the removal listener) are bound only by the owner that feeds them,
 * so a scrape never shows a zero that really means "unknown". The owner keeps what it binds in
 * final fields, so the bound data points are safely published to every recording thread.
 */
public final class CacheSeries {

  private final Meters meters;
  private final String cache;
  private final String tier;
  private final InstrumentationErrors errors;

  public final CounterDataPoint hits;
  public final CounterDataPoint misses;
  public final CounterDataPoint loadSuccesses;
  public final CounterDataPoint loadFailures;
  public final DistributionDataPoint loadDuration;

  private CacheSeries(Meters meters, String cache, String tier) {
    this.meters = meters;
    this.cache = cache;
    this.tier = tier;
    this.errors = meters.errors();
    // Every lookup records here: no exemplars, so a hit never looks up the current span.
    GuardedCounter gets = meters.counter(CacheNames.GETS)
        .help("Cache lookups by result (hit or miss)")
        .labelNames(CACHE, CACHE_TIER, RESULT).withoutExemplars().register();
    GuardedCounter loads = meters.counter(CacheNames.LOADS)
        .help("Loads of missing cache entries by result (success or failure)")
        .labelNames(CACHE, CACHE_TIER, RESULT).register();
    this.hits = gets.labelValues(cache, tier, CacheNames.HIT);
    this.misses = gets.labelValues(cache, tier, CacheNames.MISS);
    this.loadSuccesses = loads.labelValues(cache, tier, CacheNames.SUCCESS);
    this.loadFailures = loads.labelValues(cache, tier, CacheNames.FAILURE);
    this.loadDuration = meters.histogram(CacheNames.LOAD_DURATION)
        .help("Time spent loading missing cache entries, successful or not")
        .labelNames(CACHE, CACHE_TIER).buckets(CacheNames.loadDurationBuckets()).register()
        .labelValues(cache, tier);
  }

  /**
   * Binds the always-present series (gets, loads, load duration) of a cache.
   *
   * @param tier the tier, or {@code ""} for a cache without tiers
   */
  public static CacheSeries bind(Meters meters, String cache, String tier) {
    return new CacheSeries(Objects.requireNonNull(meters, "meters"), cache, tier);
  }

  /**
   * Binds {@code cache_evictions_total} (or, with {@code weight}, {@code
   * cache_eviction_weight_total}) for these causes; every other cause maps to nothing.
   */
  public EnumMap<EvictionCause, CounterDataPoint> bindEvictions(boolean weight,
      EvictionCause... causes) {
    GuardedCounter counter = weight
        ? meters.counter(CacheNames.EVICTION_WEIGHT)
            .help("Summed weight of entries evicted from the cache, by cause")
            .labelNames(CACHE, CACHE_TIER, CAUSE).register()
        : meters.counter(CacheNames.EVICTIONS)
            .help("Entries removed from the cache, by cause")
            .labelNames(CACHE, CACHE_TIER, CAUSE).register();
    EnumMap<EvictionCause, CounterDataPoint> bound = new EnumMap<>(EvictionCause.class);
    for (EvictionCause cause : causes) {
      bound.put(cause, counter.labelValues(cache, tier, cause.labelValue()));
    }
    return bound;
  }

  /** Binds {@code cache_puts_total}. */
  public CounterDataPoint bindPuts() {
    return meters.counter(CacheNames.PUTS)
        .help("Entries written to the cache by the application")
        .labelNames(CACHE, CACHE_TIER).register().labelValues(cache, tier);
  }

  /** Registers a {@code cache_size} source for this cache; holds {@code target} weakly. */
  public <T> CallbackFamily.Registration size(T target,
      ToDoubleFunction<? super T> size) {
    return sizeFamily().add(target, size, cache, tier);
  }

  /** Registers a {@code cache_size} source for this cache. */
  public CallbackFamily.Registration size(DoubleSupplier size) {
    return sizeFamily().add(size, cache, tier);
  }

  private CallbackFamily sizeFamily() {
    return meters.callbackGauge(CacheNames.SIZE)
        .help("Estimated number of entries in the cache")
        .labelNames(CACHE, CACHE_TIER).component(CacheNames.COMPONENT).register();
  }

  /** Observes a load duration given in nanoseconds. */
  public void observeLoad(long nanos) {
    loadDuration.observe(Math.max(0L, nanos) / 1e9);
  }

  /** Counts a failure inside the instrumentation; never throws. */
  public void error(Throwable t) {
    errors.record(CacheNames.COMPONENT, t);
  }

  public String cache() {
    return cache;
  }

  public String tier() {
    return tier;
  }
}
