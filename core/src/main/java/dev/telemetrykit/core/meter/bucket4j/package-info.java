/**
 * Bucket4j adapter for TelemetryKit's rate limiter meter:
 * {@link dev.telemetrykit.core.meter.bucket4j.MeteredBucket}, a consuming wrapper that records
 * the outcome and wait of every consumption. Optional: needs
 * {@code com.bucket4j:bucket4j_jdk17-core} on the class path.
 *
 * <pre>{@code
 * MeteredBucket api = MeteredBucket.wrap(bucket, telemetry.meters(), "api");
 * if (api.tryConsume(1)) { ... }
 * }</pre>
 */
package dev.telemetrykit.core.meter.bucket4j;
