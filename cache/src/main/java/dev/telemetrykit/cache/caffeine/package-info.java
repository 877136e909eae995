/**
 * The Caffeine adapter: {@link dev.telemetrykit.cache.caffeine.CaffeineStats}, a Caffeine
 * {@code StatsCounter} feeding TelemetryKit's cache metrics. Needs Caffeine 3 on the class
 * path (a {@code provided} dependency of this module); nothing else in the module does.
 *
 * <pre>{@code
 * CaffeineStats stats = CacheTelemetry.caffeineStats(telemetry, "products");
 * Cache<String, Product> products = stats.register(
 *     Caffeine.newBuilder().maximumSize(10_000).recordStats(stats).build());
 * }</pre>
 */
package dev.telemetrykit.cache.caffeine;
