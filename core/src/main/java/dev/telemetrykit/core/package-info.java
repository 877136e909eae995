/**
 * TelemetryKit's entry point and foundation: {@link dev.telemetrykit.core.TelemetryKit} (the one
 * line in {@code main}), {@link dev.telemetrykit.core.Settings} (environment, system
 * properties, code), the {@link dev.telemetrykit.core.TelemetryModule} SPI through which the
 * tracing and logging modules plug in, and {@link dev.telemetrykit.core.InstrumentationErrors}.
 *
 * <pre>{@code
 * try (TelemetryKit telemetry = TelemetryKit.start("orders-service")) {
 *   ...
 * }
 * }</pre>
 */
package dev.telemetrykit.core;
