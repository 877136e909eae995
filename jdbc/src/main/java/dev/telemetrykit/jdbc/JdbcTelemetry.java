package dev.telemetrykit.jdbc;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.core.health.Health;
import dev.telemetrykit.core.health.HealthCheck;
import dev.telemetrykit.jdbc.hikari.TelemetryMetricsTrackerFactory;
import dev.telemetrykit.jdbc.internal.Recorder;
import dev.telemetrykit.jdbc.internal.TelemetryDataSource;
import io.opentelemetry.api.OpenTelemetry;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Database telemetry in one call per data source and one per pool.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db:5432/orders");
 * config.setPoolName("orders-db");
 * config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));   // pool metrics
 * DataSource ds = JdbcTelemetry.wrap(new HikariDataSource(config), telemetry); // query metrics
 * }</pre>
 *
 * <p><b>{@link #wrap} — queries.</b> The returned {@link DataSource} hands out connections whose
 * {@code Statement}, {@code PreparedStatement} and {@code CallableStatement} executions
 * ({@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
 * {@code executeBatch}, {@code executeLargeBatch}) are recorded:
 * <ul>
 *   <li>{@code db_client_operation_duration_seconds{db_system_name, db_operation_name,
 *       db_collection_name, error_type}} — the system from the first connection's metadata
 *       ({@code postgresql}, {@code h2}, ...), the operation from the SQL's first keyword
 *       ({@code SELECT}; {@code BATCH INSERT} for a batch), the table when one is cheaply known,
 *       {@code error_type} empty on success and the SQLState class ({@code 42}) or exception
 *       class on failure;
 *   <li>{@code db_client_slow_operations_total} (same labels) for operations of at least the
 *       slow threshold, and one WARN line on logger {@value JdbcNames#SLOW_OPERATION_LOGGER}
 *       with the SQL, literals replaced by {@code ?} (at most once a minute per statement);
 *   <li>a CLIENT span per operation, a child of the current span, with {@code db.system.name},
 *       {@code db.operation.name}, {@code db.collection.name}, {@code db.query.text} (literals
 *       replaced by {@code ?}), {@code server.address}/{@code server.port} when the JDBC URL
 *       has them, and {@code error.type}/{@code db.response.status_code} on failure — never
 *       the driver's exception message, which may quote values.
 * </ul>
 * The SQL is parsed once per prepared statement and cached per SQL string. The driver's
 * {@code SQLException}s reach the application unchanged (the same instance); closing,
 * transactions, generated keys and batches behave exactly as without the wrapper, and
 * {@code unwrap}/{@code isWrapperFor} reach the wrapped objects.
 *
 * <p><b>Result sets</b> of {@code executeQuery} (and a prepared statement's
 * {@code getResultSet}) record {@code db_client_response_returned_rows} (rows read with
 * {@code next()}) and {@code db_client_response_fetch_duration_seconds} (time inside
 * {@code next()}) once, when exhausted or closed; their {@code getStatement()} is the wrapping
 * statement. Other result sets and {@code DatabaseMetaData} are the driver's own.
 *
 * <p><b>N+1 detection.</b> Inside a {@link dev.telemetrykit.core.UnitOfWork} — a request
 * through the http module's server filters, a {@code CorrelationScope}, or one opened in code —
 * executions are counted per statement (literals replaced by {@code ?}). A statement that runs
 * {@code TELEMETRYKIT_JDBC_REPEAT_THRESHOLD} (default 10) times in one unit adds 1 to
 * {@code db_client_repeated_queries_total{db_system_name, db_operation_name,
 * db_collection_name}}; when the unit ends, one WARN line on logger
 * {@value JdbcNames#REPEATED_QUERIES_LOGGER} names the unit (route), the statements and their
 * counts, and the current span gets a {@code db.repeated_query} event per statement.
 *
 * <p><b>{@link #hikariTracker} — pools.</b> HikariCP's {@code MetricsTrackerFactory}: used/idle
 * connections, max, idle min/max, pending requests, timeouts, create/wait/use times. Any other
 * pool reports the same metrics through {@link #pool}.
 *
 * @since 0.1.0
 */
public final class JdbcTelemetry {

  /** Default of {@link JdbcNames#SLOW_THRESHOLD_SETTING}. */
  public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofMillis(500);
  /** Default of {@link JdbcNames#SQL_CACHE_SIZE_SETTING}. */
  public static final int DEFAULT_SQL_CACHE_SIZE = 1000;

  /** Default of {@link JdbcNames#REPEAT_THRESHOLD_SETTING}. */
  public static final int DEFAULT_REPEAT_THRESHOLD = Recorder.DEFAULT_REPEAT_THRESHOLD;

  private JdbcTelemetry() {}

  /**
   * Wraps a data source with the settings from the environment (see {@link JdbcNames}); the
   * same as {@code builder(telemetry).wrap(dataSource)}. A data source already wrapped is
   * returned as it is.
   */
  public static DataSource wrap(DataSource dataSource, TelemetryKit telemetry) {
    return builder(telemetry).wrap(dataSource);
  }

  /** A builder for wrapping with settings given in code. */
  public static Builder builder(TelemetryKit telemetry) {
    return new Builder(Objects.requireNonNull(telemetry, "telemetry"));
  }

  /**
   * HikariCP's metrics SPI reporting the standard pool metrics; set it with
   * {@code HikariConfig.setMetricsTrackerFactory}. Needs HikariCP on the class path (it is an
   * optional dependency of this module).
   */
  public static MetricsTrackerFactory hikariTracker(TelemetryKit telemetry) {
    return TelemetryMetricsTrackerFactory.create(telemetry);
  }

  /**
   * Starts reporting the standard pool metrics of any pool; see {@link ConnectionPoolMetrics}.
   *
   * @param pool held weakly and passed to the size functions
   */
  public static <P> ConnectionPoolMetrics.Builder<P> pool(TelemetryKit telemetry, String poolName,
      P pool) {
    return ConnectionPoolMetrics.builder(telemetry, poolName, pool);
  }

  /**
   * A health check: borrows a connection and calls {@link Connection#isValid(int)} with a
   * 2-second timeout ({@link Health#DEFAULT_TIMEOUT}); DOWN when that returns false or
   * getting the connection throws (the reason is redacted before it is shown).
   *
   * <pre>{@code
   * telemetry.health().register("database", JdbcTelemetry.healthCheck(dataSource));
   * }</pre>
   */
  public static HealthCheck healthCheck(DataSource dataSource) {
    return healthCheck(dataSource, Health.DEFAULT_TIMEOUT);
  }

  /**
   * As {@link #healthCheck(DataSource)}, with the {@code isValid} timeout (rounded up to whole
   * seconds, as JDBC wants); pass the same timeout as the registration's.
   */
  public static HealthCheck healthCheck(DataSource dataSource, Duration timeout) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(timeout, "timeout");
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (timeout.toMillis() + 999) / 1000));
    return () -> {
      try (Connection c = dataSource.getConnection()) {
        return HealthCheck.Result.of(c.isValid(seconds),
            "Connection.isValid(" + seconds + ") returned false");
      }
    };
  }

  /**
   * Options of {@link JdbcTelemetry#wrap}; values set here win over the environment settings.
   *
   * <pre>{@code
   * DataSource ds = JdbcTelemetry.builder(telemetry)
   *     .name("orders-db")
   *     .slowOperationThreshold(Duration.ofMillis(200))
   *     .captureCollectionName(true)
   *     .openTelemetry(openTelemetry)
   *     .wrap(hikariDataSource);
   * }</pre>
   */
  public static final class Builder {
    private final TelemetryKit telemetry;
    private String name = "default";
    private Duration slowThreshold;
    private Boolean captureCollection;
    private Integer cacheSize;
    private Integer repeatThreshold;
    private OpenTelemetry openTelemetry;

    private Builder(TelemetryKit telemetry) {
      this.telemetry = telemetry;
    }

    /** The data source's name, shown in slow-operation log lines; default {@code default}. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Operations at least this long are slow; default {@code TELEMETRYKIT_JDBC_SLOW_THRESHOLD} or 500 ms. */
    public Builder slowOperationThreshold(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException("slowOperationThreshold must not be negative, was "
            + threshold);
      }
      this.slowThreshold = threshold;
      return this;
    }

    /** Whether to report the table parsed from the SQL as {@code db_collection_name}; default true. */
    public Builder captureCollectionName(boolean capture) {
      this.captureCollection = capture;
      return this;
    }

    /** How many distinct SQL strings keep their parsed form cached; default 1000. */
    public Builder sqlCacheSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("sqlCacheSize must not be negative, was " + size);
      }
      this.cacheSize = size;
      return this;
    }

    /**
     * Executions of one statement within one unit of work (a server request, a
     * {@code CorrelationScope}, a {@link dev.telemetrykit.core.UnitOfWork}) from which it is
     * reported as repeated (N+1); default {@code TELEMETRYKIT_JDBC_REPEAT_THRESHOLD} or 10.
     */
    public Builder repeatedQueryThreshold(int threshold) {
      if (threshold < 2) {
        throw new IllegalArgumentException("repeatedQueryThreshold must be at least 2, was "
            + threshold);
      }
      this.repeatThreshold = threshold;
      return this;
    }

    /**
     * Where spans go. Default: the global OpenTelemetry once it is set (looked up lazily, so a
     * tracing module started after wrapping is still used); until then no spans.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Wraps {@code dataSource}; one already wrapped is returned as it is.
     *
     * @throws IllegalArgumentException if a {@code TELEMETRYKIT_JDBC_*} setting is invalid
     */
    public DataSource wrap(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource");
      if (dataSource instanceof TelemetryDataSource) {
        return dataSource;
      }
      Settings settings = telemetry.settings();
      Duration threshold = slowThreshold != null ? slowThreshold
          : settings.duration(JdbcNames.SLOW_THRESHOLD_SETTING, DEFAULT_SLOW_THRESHOLD);
      boolean capture = captureCollection != null ? captureCollection
          : settings.booleanValue(JdbcNames.CAPTURE_COLLECTION_SETTING, true);
      int size = cacheSize != null ? cacheSize
          : settings.intValue(JdbcNames.SQL_CACHE_SIZE_SETTING, DEFAULT_SQL_CACHE_SIZE, 0,
              1_000_000);
      int repeat = repeatThreshold != null ? repeatThreshold
          : settings.intValue(JdbcNames.REPEAT_THRESHOLD_SETTING, DEFAULT_REPEAT_THRESHOLD, 2,
              1_000_000);
      Recorder recorder = new Recorder(telemetry.meters(), name, threshold, capture, size,
          openTelemetry, repeat);
      // Statements count per request from now on: the server filters open a unit per request.
      UnitOfWork.enableForRequests();
      return new TelemetryDataSource(dataSource, recorder);
    }
  }
}
