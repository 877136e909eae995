/**
 * OpenTelemetry tracing for TelemetryKit: with {@code telemetrykit-tracing} on the class path,
 * {@code TelemetryKit.start} builds the OpenTelemetry SDK from the standard {@code OTEL_*}
 * settings (exporting over OTLP when an endpoint is set), registers it as the global
 * OpenTelemetry, and flushes it on {@code close()}. {@link dev.telemetrykit.tracing.Tracing}
 * holds the span helpers and the context-propagating executor wrapper.
 *
 * <pre>{@code
 * try (TelemetryKit telemetry = TelemetryKit.start("orders-service")) {
 *   Tracing tracing = Tracing.create(telemetry);
 *   Order order = tracing.call("load-order", () -> repository.load(id));
 * }
 * }</pre>
 */
package dev.telemetrykit.tracing;
