package dev.telemetrykit.cache;

/**
 * Why an entry left a cache: the {@code cause} label of {@code cache_evictions_total}. The
 * values are Caffeine's {@code RemovalCause} names in lower case, so Caffeine caches and any
 * other cache report on one scale.
 *
 * <pre>{@code
 * redisCache.eviction(EvictionCause.EXPIRED);   // a key's TTL ran out
 * }</pre>
 *
 * @since 0.1.0
 */
public enum EvictionCause {
  /** Removed to keep the cache within its maximum size or weight. */
  SIZE("size"),
  /** Its time to live (or idle time) ran out. */
  EXPIRED("expired"),
  /** Removed by the application ({@code invalidate}, {@code remove}, {@code DEL}). */
  EXPLICIT("explicit"),
  /** Its value was overwritten by a put for the same key. */
  REPLACED("replaced"),
  /** Its key or value was garbage-collected (weak or soft references). */
  COLLECTED("collected");

  private final String labelValue;

  EvictionCause(String labelValue) {
    this.labelValue = labelValue;
  }

  /** The {@code cause} label value, e.g. {@code "expired"}. */
  public String labelValue() {
    return labelValue;
  }
}
