/**
 * Database telemetry: a {@link javax.sql.DataSource} wrapper that records query metrics,
 * slow-operation logs and client spans ({@link dev.telemetrykit.jdbc.JdbcTelemetry#wrap}), and
 * connection-pool metrics fed by HikariCP ({@link dev.telemetrykit.jdbc.JdbcTelemetry#hikariTracker})
 * or by any pool ({@link dev.telemetrykit.jdbc.ConnectionPoolMetrics}).
 *
 * <pre>{@code
 * DataSource ds = JdbcTelemetry.wrap(hikariDataSource, telemetry);
 * }</pre>
 *
 * <p>Metric and label names are in {@link dev.telemetrykit.jdbc.JdbcNames}.
 */
package dev.telemetrykit.jdbc;
