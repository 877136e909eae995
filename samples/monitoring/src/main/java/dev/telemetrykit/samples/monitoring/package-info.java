/**
 * Test support for the shipped monitoring files ({@code samples/monitoring}): the PromQL they
 * use ({@link dev.telemetrykit.samples.monitoring.MonitoringQueries}), a selector lexer
 * ({@link dev.telemetrykit.samples.monitoring.PromQl}) and the metric names TelemetryKit
 * promises ({@link dev.telemetrykit.samples.monitoring.ConventionNames}). Not published.
 */
package dev.telemetrykit.samples.monitoring;
