/**
 * The HikariCP adapter: {@link dev.telemetrykit.jdbc.hikari.TelemetryMetricsTrackerFactory}
 * implements HikariCP's {@code MetricsTrackerFactory} SPI. HikariCP is an optional
 * ({@code provided}) dependency: nothing here is loaded unless it is used.
 *
 * <pre>{@code
 * config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
 * }</pre>
 */
package dev.telemetrykit.jdbc.hikari;
