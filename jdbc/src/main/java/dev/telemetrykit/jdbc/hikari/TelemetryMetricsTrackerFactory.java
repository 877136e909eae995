package dev.telemetrykit.jdbc.hikari;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.jdbc.ConnectionPoolMetrics;
import dev.telemetrykit.jdbc.JdbcNames;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.util.Objects;

/**
 * HikariCP's own metrics SPI, feeding TelemetryKit's standard pool metrics
 * ({@link ConnectionPoolMetrics}): HikariCP tells the events (connection created, acquired,
 * returned, timed out) and its {@link PoolStats} the sizes, read at scrape time. Usually
 * obtained through {@code JdbcTelemetry.hikariTracker(telemetry)}.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setPoolName("orders-db");
 * config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
 * DataSource ds = JdbcTelemetry.wrap(new HikariDataSource(config), telemetry);
 * }</pre>
 *
 * <p>Reported per pool: used and idle connections, max ({@code maximumPoolSize}, also the idle
 * maximum), idle minimum ({@code minimumIdle}), threads waiting, timeouts, create/wait/use
 * times. HikariCP's pool statistics are refreshed at most once per second. When the pool shuts
 * down, its gauges are removed. A pool whose name is already reported by another live pool is
 * not reported (counted in {@code telemetrykit_instrumentation_errors_total}), rather than
 * failing the pool's start.
 *
 * @since 0.1.0
 */
public final class TelemetryMetricsTrackerFactory implements MetricsTrackerFactory {

  private final TelemetryKit telemetry;

  private TelemetryMetricsTrackerFactory(TelemetryKit telemetry) {
    this.telemetry = telemetry;
  }

  /**
   * A factory reporting into {@code telemetry}. Typed as HikariCP's interface on purpose: a
   * caller's class then links without loading this one, so {@code JdbcTelemetry} works when
   * HikariCP is absent.
   */
  public static MetricsTrackerFactory create(TelemetryKit telemetry) {
    return new TelemetryMetricsTrackerFactory(Objects.requireNonNull(telemetry, "telemetry"));
  }

  @Override
  public IMetricsTracker create(String poolName, PoolStats poolStats) {
    try {
      ConnectionPoolMetrics metrics = ConnectionPoolMetrics.builder(telemetry, poolName, poolStats)
          .idleConnections(PoolStats::getIdleConnections)
          .usedConnections(PoolStats::getActiveConnections)
          .maxConnections(PoolStats::getMaxConnections)
          .idleMax(PoolStats::getMaxConnections)
          .idleMin(PoolStats::getMinConnections)
          .pendingRequests(PoolStats::getPendingThreads)
          .register();
      return new Tracker(metrics, poolStats);
    } catch (Throwable t) {
      telemetry.instrumentationErrors().record(JdbcNames.COMPONENT, t);
      return new IMetricsTracker() {};
    }
  }

  /** Records HikariCP's events; holds the pool statistics so they live as long as the pool. */
  private static final class Tracker implements IMetricsTracker {
    private final ConnectionPoolMetrics metrics;
    @SuppressWarnings("unused") // keeps the weakly registered statistics reachable
    private final PoolStats stats;

    Tracker(ConnectionPoolMetrics metrics, PoolStats stats) {
      this.metrics = metrics;
      this.stats = stats;
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
      metrics.recordCreateTime(connectionCreatedMillis * 1_000_000L);
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
      metrics.recordWaitTime(elapsedAcquiredNanos);
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
      metrics.recordUseTime(elapsedBorrowedMillis * 1_000_000L);
    }

    @Override
    public void recordConnectionTimeout() {
      metrics.recordTimeout();
    }

    @Override
    public void close() {
      metrics.close();
    }
  }
}
