/**
 * Zero-config JSON logs for Logback: redaction of secrets in one choke point on the JSON
 * generator, {@code service.name}, trace and correlation IDs on every line, and log-event
 * metrics. Entry type: {@link dev.telemetrykit.logging.TelemetryLogging}.
 */
package dev.telemetrykit.logging;
