/**
 * TelemetryKit's meters, reached as {@code telemetry.meters()} ({@link
 * dev.telemetrykit.core.meter.Meters}): guarded custom metrics
 * ({@link dev.telemetrykit.core.meter.GuardedCounter}, {@code GuardedGauge},
 * {@code GuardedHistogram}) whose label sets are capped by the cardinality guard — bind label
 * values once, record on client_java's own data points; callback gauges/counters
 * ({@link dev.telemetrykit.core.meter.CallbackFamily}) that never fail a scrape; and
 * ready-made meters for rate limiters ({@link dev.telemetrykit.core.meter.RateLimiterMetrics}),
 * batch processors ({@link dev.telemetrykit.core.meter.BatchMetrics}) and executors
 * ({@link dev.telemetrykit.core.meter.Meters#executor}). Names:
 * {@link dev.telemetrykit.core.meter.MeterNames}.
 *
 * <pre>{@code
 * Meters meters = telemetry.meters();
 * RateLimiterMetrics api = meters.rateLimiter("api");
 * BatchMetrics events = meters.batchProcessor("order-events");
 * ExecutorService pool = meters.executor("workers", Executors.newFixedThreadPool(8));
 * }</pre>
 */
package dev.telemetrykit.core.meter;
