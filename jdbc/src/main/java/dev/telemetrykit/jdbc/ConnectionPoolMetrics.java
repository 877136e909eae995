package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.CallbackFamily;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.jdbc.internal.DbMeters;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The standard connection-pool metrics of one pool, for any pool: its sizes are read from the
 * pool at scrape time, its events (timeouts, create/wait/use times) are recorded by the pool's
 * own hooks. The HikariCP tracker ({@link JdbcTelemetry#hikariTracker}) is built on this; use it
 * directly for other pools.
 *
 * <pre>{@code
 * ConnectionPoolMetrics metrics = JdbcTelemetry.pool(telemetry, "orders-db", myPool)
 *     .idleConnections(MyPool::idleCount)
 *     .usedConnections(MyPool::borrowedCount)
 *     .maxConnections(MyPool::maxSize)
 *     .pendingRequests(MyPool::waiterCount)
 *     .register();
 * // in the pool's hooks:
 * metrics.recordWaitTime(waitedNanos);
 * metrics.recordTimeout();
 * // when the pool shuts down:
 * metrics.close();
 * }</pre>
 *
 * <p>Metrics (label {@code db_client_connection_pool_name}): {@code db_client_connections_usage}
 * (also {@code db_client_connection_state} = {@code idle}/{@code used}),
 * {@code db_client_connection_max}, {@code _idle_max}, {@code _idle_min},
 * {@code _pending_requests}, {@code db_client_connection_timeouts_total}, and the histograms
 * {@code db_client_connection_create_time_seconds}, {@code _wait_time_seconds},
 * {@code _use_time_seconds}. A size that is not given is not reported.
 *
 * <p>The pool is held weakly: once it is garbage-collected its gauges disappear, even without
 * {@link #close()}. The size functions run at scrape time; one that throws skips its sample and
 * is counted in {@code telemetrykit_instrumentation_errors_total}, never failing the scrape. The
 * {@code record*} methods never throw, allocate nothing and take no lock. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ConnectionPoolMetrics implements AutoCloseable {

  /** Component under which failures are counted. */
  static final String COMPONENT_POOL = "jdbc-pool";

  private final String poolName;
  private final InstrumentationErrors errors;
  private final List<CallbackFamily.Registration> registrations;
  private final CounterDataPoint timeouts;
  private final DistributionDataPoint createTime;
  private final DistributionDataPoint waitTime;
  private final DistributionDataPoint useTime;

  private ConnectionPoolMetrics(String poolName, Meters meters,
      List<CallbackFamily.Registration> registrations) {
    this.poolName = poolName;
    this.errors = meters.errors();
    this.registrations = registrations;
    this.timeouts = DbMeters.poolTimeouts(meters).labelValues(poolName);
    this.createTime = DbMeters.poolHistogram(meters, CONNECTION_CREATE_TIME,
        "Time it took to open a new pooled database connection").labelValues(poolName);
    this.waitTime = DbMeters.poolHistogram(meters, CONNECTION_WAIT_TIME,
        "Time a borrower waited for a pooled database connection").labelValues(poolName);
    this.useTime = DbMeters.poolHistogram(meters, CONNECTION_USE_TIME,
        "Time between borrowing a pooled database connection and returning it")
        .labelValues(poolName);
  }

  /**
   * Starts describing a pool.
   *
   * @param poolName the {@code db_client_connection_pool_name} label value; unique per process
   * @param pool the pool, held weakly, passed to the size functions
   */
  public static <P> Builder<P> builder(TelemetryKit telemetry, String poolName, P pool) {
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(poolName, "poolName");
    Objects.requireNonNull(pool, "pool");
    if (poolName.isBlank()) {
      throw new IllegalArgumentException("poolName must not be blank");
    }
    return new Builder<>(telemetry.meters(), poolName, pool);
  }

  /** The pool name. */
  public String poolName() {
    return poolName;
  }

  /** Counts one request for a connection that timed out. */
  public void recordTimeout() {
    timeouts.inc();
  }

  /** Records the time it took to open a new connection. */
  public void recordCreateTime(long nanos) {
    createTime.observe(nanos / 1e9);
  }

  /** Records how long a borrower waited for a connection. */
  public void recordWaitTime(long nanos) {
    waitTime.observe(nanos / 1e9);
  }

  /** Records how long a connection was borrowed. */
  public void recordUseTime(long nanos) {
    useTime.observe(nanos / 1e9);
  }

  /** Stops reporting the pool's sizes; the event series stay. Idempotent; never throws. */
  @Override
  public void close() {
    for (CallbackFamily.Registration r : registrations) {
      try {
        r.close();
      } catch (Throwable t) {
        errors.record(COMPONENT_POOL, t);
      }
    }
  }

  @Override
  public String toString() {
    return "ConnectionPoolMetrics[" + poolName + "]";
  }

  /**
   * Says where to read a pool's sizes. Each function receives the pool and returns the current
   * value; those not given are not reported.
   *
   * @param <P> the pool type
   */
  public static final class Builder<P> {
    private final Meters meters;
    private final String poolName;
    private final P pool;
    private ToDoubleFunction<? super P> idle;
    private ToDoubleFunction<? super P> used;
    private ToDoubleFunction<? super P> max;
    private ToDoubleFunction<? super P> idleMax;
    private ToDoubleFunction<? super P> idleMin;
    private ToDoubleFunction<? super P> pending;

    private Builder(Meters meters, String poolName, P pool) {
      this.meters = meters;
      this.poolName = poolName;
      this.pool = pool;
    }

    /** Open connections idle in the pool. */
    public Builder<P> idleConnections(ToDoubleFunction<? super P> idle) {
      this.idle = Objects.requireNonNull(idle, "idle");
      return this;
    }

    /** Open connections borrowed by the application. */
    public Builder<P> usedConnections(ToDoubleFunction<? super P> used) {
      this.used = Objects.requireNonNull(used, "used");
      return this;
    }

    /** The most connections the pool may open. */
    public Builder<P> maxConnections(ToDoubleFunction<? super P> max) {
      this.max = Objects.requireNonNull(max, "max");
      return this;
    }

    /** The most idle connections the pool keeps. */
    public Builder<P> idleMax(ToDoubleFunction<? super P> idleMax) {
      this.idleMax = Objects.requireNonNull(idleMax, "idleMax");
      return this;
    }

    /** The fewest idle connections the pool keeps. */
    public Builder<P> idleMin(ToDoubleFunction<? super P> idleMin) {
      this.idleMin = Objects.requireNonNull(idleMin, "idleMin");
      return this;
    }

    /** Threads waiting for a connection. */
    public Builder<P> pendingRequests(ToDoubleFunction<? super P> pending) {
      this.pending = Objects.requireNonNull(pending, "pending");
      return this;
    }

    /**
     * Registers the metrics.
     *
     * @throws IllegalArgumentException if a pool of the same name is registered and not closed
     */
    public ConnectionPoolMetrics register() {
      List<CallbackFamily.Registration> added = new ArrayList<>();
      try {
        if (idle != null || used != null) {
          CallbackFamily count = gauge(CONNECTION_COUNT,
              "Open database connections in the pool, by state (idle, used)", POOL_NAME,
              CONNECTION_STATE);
          if (idle != null) {
            added.add(count.add(pool, idle, poolName, STATE_IDLE));
          }
          if (used != null) {
            added.add(count.add(pool, used, poolName, STATE_USED));
          }
        }
        add(added, max, CONNECTION_MAX, "The most database connections the pool may open");
        add(added, idleMax, CONNECTION_IDLE_MAX, "The most idle database connections the pool keeps");
        add(added, idleMin, CONNECTION_IDLE_MIN, "The fewest idle database connections the pool keeps");
        add(added, pending, CONNECTION_PENDING_REQUESTS, "Threads waiting for a database connection");
        return new ConnectionPoolMetrics(poolName, meters, List.copyOf(added));
      } catch (RuntimeException e) {
        for (CallbackFamily.Registration r : added) {
          r.close();
        }
        throw e;
      }
    }

    private void add(List<CallbackFamily.Registration> added, ToDoubleFunction<? super P> value,
        String name, String help) {
      if (value != null) {
        added.add(gauge(name, help, POOL_NAME).add(pool, value, poolName));
      }
    }

    private CallbackFamily gauge(String name, String help, String... labels) {
      return meters.callbackGauge(name).help(help).labelNames(labels).component(COMPONENT_POOL)
          .register();
    }
  }
}
