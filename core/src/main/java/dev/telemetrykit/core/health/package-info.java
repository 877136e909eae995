/**
 * The health model: {@link dev.telemetrykit.core.health.Health} runs registered
 * {@link dev.telemetrykit.core.health.HealthCheck}s off the request thread, caches their
 * results, reports them as {@code health_check_*} metrics and serves {@code /health},
 * {@code /health/live} and {@code /health/ready} on the metrics port.
 *
 * <pre>{@code
 * telemetry.health().register("database", JdbcTelemetry.healthCheck(dataSource));
 * telemetry.health().register("cache", () -> cache.ping()
 *     ? HealthCheck.Result.up() : HealthCheck.Result.down("no pong"),
 *     Health.options().critical(false));
 * }</pre>
 */
package dev.telemetrykit.core.health;
