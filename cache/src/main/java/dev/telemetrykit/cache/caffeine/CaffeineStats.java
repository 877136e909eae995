package dev.telemetrykit.cache.caffeine;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.RemovalListener;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.telemetrykit.cache.EvictionCause;
import dev.telemetrykit.cache.internal.CacheSeries;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.EnumMap;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Caffeine {@link StatsCounter} that records into TelemetryKit's cache metrics. Pass it to
 * {@code Caffeine.recordStats(...)}, then register the built cache for {@code cache_size}:
 *
 * <pre>{@code
 * CaffeineStats stats = CacheTelemetry.caffeineStats(telemetry, "products");
 * LoadingCache<String, Product> products = stats.register(Caffeine.newBuilder()
 *     .maximumSize(10_000)
 *     .expireAfterWrite(Duration.ofMinutes(5))
 *     .recordStats(stats)                        // gets, loads, size/expiry evictions
 *     .removalListener(stats.removalListener())  // optional: explicit and replaced removals
 *     .build(productRepository::find));
 * }</pre>
 *
 * <p>Works for {@code Cache}, {@code LoadingCache}, {@code AsyncCache} and
 * {@code AsyncLoadingCache}. What Caffeine reports, and so what is counted:
 * <ul>
 *   <li>{@code cache_gets_total{result}}: every lookup through the cache's own methods
 *       ({@code getIfPresent}, {@code get}, {@code getAll}, ...). Lookups through the
 *       {@code asMap()} view are not reported by Caffeine, so not counted.
 *   <li>{@code cache_loads_total{result}} and {@code cache_load_duration_seconds}: loads by a
 *       {@code CacheLoader} or a mapping function; a loader returning {@code null} is a failure
 *       (Caffeine's rule). Caffeine times them with the system clock, not a custom ticker.
 *   <li>{@code cache_evictions_total{cause}}: {@code size}, {@code expired} and
 *       {@code collected} from the stats counter; {@code explicit} and {@code replaced} only
 *       with {@link #removalListener()}, because Caffeine reports those to removal listeners
 *       only. {@code cache_eviction_weight_total{cause}} as well, for caches with a weigher.
 *   <li>{@code cache_size}: {@code estimatedSize()}, read at scrape time after
 *       {@link #register(Cache)}.
 *   <li>{@code cache_puts_total}: <b>not</b> exported. Caffeine has no hook for
 *       {@code put}/{@code putAll}/{@code asMap().put}; where puts matter, count them beside the
 *       call with a {@link dev.telemetrykit.cache.CacheRecorder} of the same cache name
 *       ({@code recorder.put()}). Overwrites show up as {@code cause="replaced"} with the
 *       removal listener.
 * </ul>
 *
 * <p><b>Cost.</b> Every series is bound here, at construction, in fields and an
 * {@link EnumMap} by {@link RemovalCause}: {@link #recordHits(int)} is one {@code LongAdder}
 * add — no allocation, no lock, like Caffeine's own {@code ConcurrentStatsCounter}.
 *
 * <p>Thread-safe. {@link #get()} returns this instance, so two caches built with the same
 * {@code CaffeineStats} report as one cache (their {@link #snapshot()} is the sum); give each
 * cache its own name. Recording never throws.
 *
 * @since 0.1.0
 */
public final class CaffeineStats implements StatsCounter, Supplier<StatsCounter> {

  private static final RemovalCause[] EVICTED = {
    RemovalCause.SIZE, RemovalCause.EXPIRED, RemovalCause.COLLECTED
  };

  private final CacheSeries series;
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final CounterDataPoint loadSuccesses;
  private final CounterDataPoint loadFailures;
  private final EnumMap<RemovalCause, CounterDataPoint> evictions;
  private volatile @Nullable EnumMap<RemovalCause, CounterDataPoint> weights;

  private CaffeineStats(CacheSeries series) {
    this.series = series;
    this.hits = series.hits;
    this.misses = series.misses;
    this.loadSuccesses = series.loadSuccesses;
    this.loadFailures = series.loadFailures;
    this.evictions = byRemovalCause(series.bindEvictions(false, causes(EVICTED)));
  }

  /**
   * Not API: used by {@code CacheTelemetry}. Applications call
   * {@link dev.telemetrykit.cache.CacheTelemetry#caffeineStats}.
   */
  public static CaffeineStats create(CacheSeries series) {
    return new CaffeineStats(Objects.requireNonNull(series, "series"));
  }

  /** Returns this counter, for {@code Caffeine.recordStats(stats)}. */
  @Override
  public StatsCounter get() {
    return this;
  }

  @Override
  public void recordHits(int count) {
    try {
      hits.inc(count);
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  @Override
  public void recordMisses(int count) {
    try {
      misses.inc(count);
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    try {
      loadSuccesses.inc();
      series.observeLoad(loadTime);
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    try {
      loadFailures.inc();
      series.observeLoad(loadTime);
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    try {
      CounterDataPoint count = evictions.get(cause);
      if (count == null) {
        return; // not an eviction Caffeine reports here; the removal listener counts it
      }
      count.inc();
      EnumMap<RemovalCause, CounterDataPoint> w = weights;
      if (w != null && weight > 0) {
        w.get(cause).inc(weight);
      }
    } catch (RuntimeException e) {
      series.error(e);
    }
  }

  /**
   * The counts as Caffeine's {@link CacheStats}, read from the exported series, so
   * {@code cache.stats()} keeps working. The eviction weight equals the eviction count for
   * caches without a weigher (each entry weighs 1).
   */
  @Override
  public CacheStats snapshot() {
    long evicted = 0;
    for (CounterDataPoint c : evictions.values()) {
      evicted += c.getLongValue();
    }
    EnumMap<RemovalCause, CounterDataPoint> w = weights;
    long weight = evicted;
    if (w != null) {
      weight = 0;
      for (CounterDataPoint c : w.values()) {
        weight += c.getLongValue();
      }
    }
    return CacheStats.of(hits.getLongValue(), misses.getLongValue(),
        loadSuccesses.getLongValue(), loadFailures.getLongValue(),
        Math.round(series.loadDuration.getSum() * 1e9), evicted, weight);
  }

  /**
   * A removal listener counting what the stats counter does not see: {@code explicit}
   * ({@code invalidate}, {@code asMap().remove}, ...) and {@code replaced} (a put over an
   * existing entry). Pass it to {@code Caffeine.removalListener(...)}; with an
   * {@code executor(...)}, it runs there, so counts may lag the call by that hand-off.
   */
  public <K, V> RemovalListener<K, V> removalListener() {
    return removalListener(null);
  }

  /**
   * Like {@link #removalListener()}, then calls {@code delegate} (the application's own
   * listener, which Caffeine allows only one of). The delegate's exceptions propagate to
   * Caffeine unchanged, which logs them.
   */
  public <K, V> RemovalListener<K, V> removalListener(
      @Nullable RemovalListener<? super K, ? super V> delegate) {
    return new CountingRemovalListener<>(series,
        byRemovalCause(series.bindEvictions(false, EvictionCause.EXPLICIT, EvictionCause.REPLACED)),
        delegate);
  }

  /**
   * Reports {@code cache.estimatedSize()} as {@code cache_size}, holding the cache weakly,
   * and, for a cache with a weigher, starts {@code cache_eviction_weight_total}. Returns the
   * cache unchanged, so it can wrap {@code build()}.
   *
   * @throws IllegalArgumentException if the cache does not record statistics (it was built
   *     without {@code recordStats(stats)}), or a cache with this name and tier is already
   *     registered and still alive
   */
  public <C extends Cache<?, ?>> C register(C cache) {
    Objects.requireNonNull(cache, "cache");
    Policy<?, ?> policy = cache.policy();
    if (!policy.isRecordingStats()) {
      throw new IllegalArgumentException("Cache '" + series.cache() + "' does not record"
          + " statistics; build it with Caffeine.newBuilder().recordStats(stats)");
    }
    series.size(cache, Cache::estimatedSize);
    bindWeights(policy);
    return cache;
  }

  /** Like {@link #register(Cache)}, for an {@link AsyncCache} or {@code AsyncLoadingCache}. */
  public <C extends AsyncCache<?, ?>> C register(C cache) {
    Objects.requireNonNull(cache, "cache");
    Policy<?, ?> policy = cache.synchronous().policy();
    if (!policy.isRecordingStats()) {
      throw new IllegalArgumentException("Cache '" + series.cache() + "' does not record"
          + " statistics; build it with Caffeine.newBuilder().recordStats(stats)");
    }
    series.size(cache, c -> c.synchronous().estimatedSize());
    bindWeights(policy);
    return cache;
  }

  private void bindWeights(Policy<?, ?> policy) {
    boolean weighted = policy.eviction().map(Policy.Eviction::isWeighted).orElse(false);
    if (weighted && weights == null) {
      weights = byRemovalCause(series.bindEvictions(true, causes(EVICTED)));
    }
  }

  @Override
  public String toString() {
    return "CaffeineStats[cache=" + series.cache()
        + (series.tier().isEmpty() ? "" : ", tier=" + series.tier()) + "]";
  }

  private static EvictionCause[] causes(RemovalCause... causes) {
    EvictionCause[] out = new EvictionCause[causes.length];
    for (int i = 0; i < causes.length; i++) {
      out[i] = EvictionCause.valueOf(causes[i].name());
    }
    return out;
  }

  private static EnumMap<RemovalCause, CounterDataPoint> byRemovalCause(
      EnumMap<EvictionCause, CounterDataPoint> bound) {
    EnumMap<RemovalCause, CounterDataPoint> out = new EnumMap<>(RemovalCause.class);
    bound.forEach((cause, point) -> out.put(RemovalCause.valueOf(cause.name()), point));
    return out;
  }

  private static final class CountingRemovalListener<K, V> implements RemovalListener<K, V> {
    private final CacheSeries series;
    private final EnumMap<RemovalCause, CounterDataPoint> removals;
    private final @Nullable RemovalListener<? super K, ? super V> delegate;

    CountingRemovalListener(CacheSeries series, EnumMap<RemovalCause, CounterDataPoint> removals,
        @Nullable RemovalListener<? super K, ? super V> delegate) {
      this.series = series;
      this.removals = removals;
      this.delegate = delegate;
    }

    @Override
    public void onRemoval(@Nullable K key, @Nullable V value, RemovalCause cause) {
      try {
        CounterDataPoint count = removals.get(cause);
        if (count != null) {
          count.inc();
        }
      } catch (RuntimeException e) {
        series.error(e);
      }
      if (delegate != null) {
        delegate.onRemoval(key, value, cause);
      }
    }
  }
}
