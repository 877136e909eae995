package dev.telemetrykit.cache;

import dev.telemetrykit.cache.caffeine.CaffeineStats;
import dev.telemetrykit.cache.internal.CacheSeries;
import dev.telemetrykit.core.TelemetryKit;
import java.util.Objects;

/**
 * Cache metrics for a Caffeine cache or any other cache, with an optional {@code cache_tier}
 * for multi-level caches. Metric names: {@link CacheNames}.
 *
 * <p>Caffeine (needs Caffeine 3 on the class path):
 *
 * <pre>{@code
 * CaffeineStats stats = CacheTelemetry.caffeineStats(telemetry, "products");
 * Cache<String, Product> products = stats.register(Caffeine.newBuilder()
 *     .maximumSize(10_000)
 *     .recordStats(stats)
 *     .removalListener(stats.removalListener())
 *     .build());
 * }</pre>
 *
 * <p>Any cache, here the two levels of a hand-rolled cache:
 *
 * <pre>{@code
 * CacheRecorder l1 = CacheTelemetry.builder(telemetry, "products").tier("l1").recorder();
 * CacheRecorder l2 = CacheTelemetry.builder(telemetry, "products").tier("l2").recorder();
 * l1.size(local, Map::size);
 *
 * Product p = local.get(id);
 * if (p != null) { l1.hit(); return p; }
 * l1.miss();
 * p = redis.get(id);
 * if (p != null) { l2.hit(); } else { l2.miss(); p = l2.load(() -> db.find(id)); redis.set(id, p); l2.put(); }
 * local.put(id, p);
 * l1.put();
 * }</pre>
 *
 * <p>Factories fail fast on a {@code null} or blank name or tier. Asking twice for the same
 * cache name and tier returns objects that share the same series.
 *
 * @since 0.1.0
 */
public final class CacheTelemetry {

  private CacheTelemetry() {}

  /**
   * A recorder for a cache without tiers.
   *
   * @param cache the {@code cache} label value, e.g. {@code "products"}
   */
  public static CacheRecorder recorder(TelemetryKit telemetry, String cache) {
    return builder(telemetry, cache).recorder();
  }

  /**
   * A Caffeine stats counter for a cache without tiers; pass it to
   * {@code Caffeine.recordStats(...)} and register the built cache with
   * {@link CaffeineStats#register}.
   *
   * @param cache the {@code cache} label value, e.g. {@code "products"}
   */
  public static CaffeineStats caffeineStats(TelemetryKit telemetry, String cache) {
    return builder(telemetry, cache).caffeineStats();
  }

  /** A builder, for a cache with a {@code cache_tier}. */
  public static Builder builder(TelemetryKit telemetry, String cache) {
    return new Builder(telemetry, cache);
  }

  /**
   * Builds a {@link CacheRecorder} or a {@link CaffeineStats}.
   *
   * <pre>{@code
   * CaffeineStats l1 = CacheTelemetry.builder(telemetry, "products").tier("l1").caffeineStats();
   * }</pre>
   *
   * <p>Not thread-safe; the objects it builds are.
   */
  public static final class Builder {
    private final TelemetryKit telemetry;
    private final String cache;
    private String tier = "";

    private Builder(TelemetryKit telemetry, String cache) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      this.cache = checkLabel("cache", cache);
    }

    /**
     * The {@code cache_tier} label value: the level of a multi-level cache, e.g. {@code "l1"}
     * for in-process, {@code "l2"} for Redis. Keep it to a few fixed values.
     */
    public Builder tier(String tier) {
      this.tier = checkLabel("tier", tier);
      return this;
    }

    /** A recorder for any cache. */
    public CacheRecorder recorder() {
      return new CacheRecorder(series());
    }

    /** A Caffeine {@code StatsCounter}; needs Caffeine 3 on the class path. */
    public CaffeineStats caffeineStats() {
      return CaffeineStats.create(series());
    }

    private CacheSeries series() {
      return CacheSeries.bind(telemetry.meters(), cache, tier);
    }

    private static String checkLabel(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException("The " + what + " name must not be blank");
      }
      return value;
    }
  }
}
