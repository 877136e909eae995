/**
 * Resilience4j adapter for TelemetryKit's rate limiter meter:
 * {@link dev.telemetrykit.core.meter.resilience4j.Resilience4jRateLimiterMetrics#monitor}.
 * Optional: needs {@code io.github.resilience4j:resilience4j-ratelimiter} on the class path.
 *
 * <pre>{@code
 * RateLimiter api = Resilience4jRateLimiterMetrics.monitor(RateLimiter.ofDefaults("api"),
 *     telemetry.meters());
 * }</pre>
 */
package dev.telemetrykit.core.meter.resilience4j;
