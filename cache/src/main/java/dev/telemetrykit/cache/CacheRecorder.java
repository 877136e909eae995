package dev.telemetrykit.cache;

import dev.telemetrykit.cache.internal.CacheSeries;
import dev.telemetrykit.core.meter.CallbackFamily.Registration;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.EnumMap;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Records the metrics of any cache — a Redis client, a {@code ConcurrentHashMap}, a CDN, one
 * level of a multi-level cache — with one call per event. Created by
 * {@link CacheTelemetry#recorder(dev.telemetrykit.core.TelemetryKit, String)} or, with a
 * {@code cache_tier}, by {@link CacheTelemetry#builder}.
 *
 * <pre>{@code
 * CacheRecorder redis = CacheTelemetry.builder(telemetry, "products").tier("l2").recorder();
 * redis.size(jedisPool, p -> dbSize(p));                 // cache_size, read at scrape time
 *
 * String json = jedis.get(key);
 * if (json != null) {
 *   redis.hit();
 * } else {
 *   redis.miss();
 *   json = redis.load(() -> productService.loadJson(key)); // times it, counts success/failure
 *   jedis.setex(key, 300, json);
 *   redis.put();
 * }
 * }</pre>
 *
 * <p>Every series is bound when the recorder is created, so {@link #hit()}, {@link #miss()},
 * {@link #put()} and {@link #eviction(EvictionCause)} are each one {@code LongAdder} update:
 * no allocation, no lookup, no lock. Recording never throws; a failure inside it is counted in
 * {@code telemetrykit_instrumentation_errors_total{component="cache"}}.
 *
 * <p>Thread-safe. Recorders for the same cache name and tier share their series.
 *
 * @since 0.1.0
 */
public final class CacheRecorder {

  /**
   * A load to time, as in {@link #load(Loader)}.
   *
   * @param <V> the loaded value
   * @param <E> the checked exception the load may throw
   */
  @FunctionalInterface
  public interface Loader<V, E extends Exception> {
    /** Loads the value. */
    V load() throws E;
  }

  private final CacheSeries series;
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final CounterDataPoint puts;
  private final CounterDataPoint loadSuccesses;
  private final CounterDataPoint loadFailures;
  private final EnumMap<EvictionCause, CounterDataPoint> evictions;

  CacheRecorder(CacheSeries series) {
    this.series = series;
    this.hits = series.hits;
    this.misses = series.misses;
    this.puts = series.bindPuts();
    this.loadSuccesses = series.loadSuccesses;
    this.loadFailures = series.loadFailures;
    this.evictions = series.bindEvictions(false, EvictionCause.values());
  }

  /** Counts one lookup that found the entry. */
  public void hit() {
    hits.inc();
  }

  /** Counts {@code count} lookups that found their entries (e.g. a multi-get); negative counts are ignored. */
  public void hits(int count) {
    if (count > 0) {
      hits.inc(count);
    }
  }

  /** Counts one lookup that did not find the entry. */
  public void miss() {
    misses.inc();
  }

  /** Counts {@code count} lookups that did not find their entries; negative counts are ignored. */
  public void misses(int count) {
    if (count > 0) {
      misses.inc(count);
    }
  }

  /** Counts one entry written by the application. */
  public void put() {
    puts.inc();
  }

  /** Counts one entry that left the cache for this cause; {@code null} is counted as an error. */
  public void eviction(EvictionCause cause) {
    try {
      evictions.get(cause).inc();
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  /** Counts a successful load that took {@code nanos} nanoseconds (negative counts as 0). */
  public void loadSuccess(long nanos) {
    loadSuccesses.inc();
    series.observeLoad(nanos);
  }

  /** Counts a failed load that took {@code nanos} nanoseconds (negative counts as 0). */
  public void loadFailure(long nanos) {
    loadFailures.inc();
    series.observeLoad(nanos);
  }

  /**
   * Runs {@code loader}, counting a successful or failed load with its duration, and returns
   * its value. Whatever the loader throws is rethrown unchanged.
   */
  public <V, E extends Exception> V load(Loader<V, E> loader) throws E {
    Objects.requireNonNull(loader, "loader");
    long start = System.nanoTime();
    V value;
    try {
      value = loader.load();
    } catch (Throwable t) {
      loadFailure(System.nanoTime() - start);
      throw t;
    }
    loadSuccess(System.nanoTime() - start);
    return value;
  }

  /**
   * Reports {@code size.applyAsDouble(target)} as {@code cache_size}, read at scrape time.
   * Holds {@code target} weakly: once it is garbage-collected, the series disappears. A size
   * function that throws skips the sample and never fails the scrape.
   *
   * @return closing it removes the series
   * @throws IllegalArgumentException if a size source for this cache and tier already exists
   */
  public <T> Registration size(T target, ToDoubleFunction<? super T> size) {
    return series.size(target, size);
  }

  /** Reports {@code size.getAsDouble()} as {@code cache_size}, read at scrape time. */
  public Registration size(DoubleSupplier size) {
    return series.size(Objects.requireNonNull(size, "size"));
  }

  /** The {@code cache} label value. */
  public String cacheName() {
    return series.cache();
  }

  /** The {@code cache_tier} label value, if the cache has tiers. */
  public Optional<String> tier() {
    return series.tier().isEmpty() ? Optional.empty() : Optional.of(series.tier());
  }

  @Override
  public String toString() {
    return "CacheRecorder[cache=" + series.cache()
        + (series.tier().isEmpty() ? "" : ", tier=" + series.tier()) + "]";
  }
}
