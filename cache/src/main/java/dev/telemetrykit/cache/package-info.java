/**
 * Cache metrics: {@link dev.telemetrykit.cache.CacheTelemetry} is the entry point, for Caffeine
 * ({@link dev.telemetrykit.cache.caffeine.CaffeineStats}) and any other cache
 * ({@link dev.telemetrykit.cache.CacheRecorder}). Metric names in
 * {@link dev.telemetrykit.cache.CacheNames}.
 *
 * <pre>{@code
 * CacheRecorder cdn = CacheTelemetry.recorder(telemetry, "cdn-images");
 * if (response.header("X-Cache").startsWith("HIT")) cdn.hit(); else cdn.miss();
 * }</pre>
 */
package dev.telemetrykit.cache;
