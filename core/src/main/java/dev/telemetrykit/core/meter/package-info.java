/**
 * Metrics with a cardinality guard, created through {@link dev.telemetrykit.core.meter.Meters}
 * ({@code telemetry.meters()}): bind label values once, record on client_java's own data
 * points.
 */
package dev.telemetrykit.core.meter;
