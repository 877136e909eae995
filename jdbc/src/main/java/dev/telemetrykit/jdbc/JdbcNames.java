package dev.telemetrykit.jdbc;

/**
 * Every metric, label, span-attribute, setting and logger name of the {@code jdbc} module, in
 * one place. They are TelemetryKit's public contract ({@code CONVENTIONS.md}, "Database
 * client"): dashboards and alert rules are built on them.
 *
 * <pre>{@code
 * // e.g. in a test or a custom dashboard generator
 * String query = "histogram_quantile(0.95, sum by (le, db_operation_name) (rate("
 *     + JdbcNames.OPERATION_DURATION + "_bucket[5m])))";
 * }</pre>
 *
 * @since 0.1.0
 */
public final class JdbcNames {

  private JdbcNames() {}

  // ---- query metrics ---------------------------------------------------------------------

  /** Histogram: duration of each database operation (statement execution), in seconds. */
  public static final String OPERATION_DURATION = "db_client_operation_duration_seconds";
  /** Counter: operations that took longer than the slow-operation threshold. */
  public static final String SLOW_OPERATIONS = "db_client_slow_operations_total";

  /**
   * Histogram: rows the application fetched ({@code ResultSet.next()} returning true) from one
   * query's result set; semconv {@code db.client.response.returned_rows}. Labels
   * {@link #DB_SYSTEM_NAME}, {@link #DB_OPERATION_NAME}, {@link #DB_COLLECTION_NAME}.
   */
  public static final String RETURNED_ROWS = "db_client_response_returned_rows";
  /**
   * Histogram: time spent inside {@code ResultSet.next()} for one query's result set, in
   * seconds (TelemetryKit's own; semconv has no fetch-time metric). Same labels as
   * {@link #RETURNED_ROWS}.
   */
  public static final String FETCH_DURATION = "db_client_response_fetch_duration_seconds";

  /**
   * Counter: units of work (a server request, a {@code CorrelationScope}, a
   * {@code UnitOfWork}) in which one statement ran at least {@link #REPEAT_THRESHOLD_SETTING}
   * times — the N+1 query pattern; +1 per unit and statement. Labels {@link #DB_SYSTEM_NAME},
   * {@link #DB_OPERATION_NAME}, {@link #DB_COLLECTION_NAME}.
   */
  public static final String REPEATED_QUERIES = "db_client_repeated_queries_total";

  /** Label: the database system, e.g. {@code postgresql}, {@code h2} (from the metadata). */
  public static final String DB_SYSTEM_NAME = "db_system_name";
  /** Label: the operation, the first SQL keyword ({@code SELECT}, {@code INSERT}, ...). */
  public static final String DB_OPERATION_NAME = "db_operation_name";
  /** Label: the table, when one table is cheaply known from the SQL; empty otherwise. */
  public static final String DB_COLLECTION_NAME = "db_collection_name";
  /** Label: empty on success; the SQLState class (e.g. {@code 42}) or exception class on failure. */
  public static final String ERROR_TYPE = "error_type";

  // ---- pool metrics ------------------------------------------------------------------------

  /**
   * Gauge: connections in the pool by state ({@code idle}/{@code used}). The stable semantic
   * convention is {@code db.client.connection.count}, whose Prometheus translation ends in
   * {@code _count} — a suffix Prometheus reserves for histograms and summaries, which
   * {@code promtool check metrics} rejects. TelemetryKit uses the earlier convention's name,
   * {@code db.client.connections.usage}, which the OpenTelemetry Java agent still emits by
   * default, so existing dashboards read it (CONVENTIONS.md, changelog).
   */
  public static final String CONNECTION_COUNT = "db_client_connections_usage";
  /** Gauge: the most connections the pool may open. */
  public static final String CONNECTION_MAX = "db_client_connection_max";
  /** Gauge: the most idle connections the pool keeps. */
  public static final String CONNECTION_IDLE_MAX = "db_client_connection_idle_max";
  /** Gauge: the fewest idle connections the pool keeps. */
  public static final String CONNECTION_IDLE_MIN = "db_client_connection_idle_min";
  /** Gauge: threads waiting for a connection. */
  public static final String CONNECTION_PENDING_REQUESTS = "db_client_connection_pending_requests";
  /** Counter: requests for a connection that timed out. */
  public static final String CONNECTION_TIMEOUTS = "db_client_connection_timeouts_total";
  /** Histogram: time to open a new connection, in seconds. */
  public static final String CONNECTION_CREATE_TIME = "db_client_connection_create_time_seconds";
  /** Histogram: time a borrower waited for a connection, in seconds. */
  public static final String CONNECTION_WAIT_TIME = "db_client_connection_wait_time_seconds";
  /** Histogram: time between borrowing a connection and returning it, in seconds. */
  public static final String CONNECTION_USE_TIME = "db_client_connection_use_time_seconds";

  /** Label: the pool name. */
  public static final String POOL_NAME = "db_client_connection_pool_name";
  /** Label: the connection state, {@link #STATE_IDLE} or {@link #STATE_USED}. */
  public static final String CONNECTION_STATE = "db_client_connection_state";
  /** Value of {@link #CONNECTION_STATE}: open and idle in the pool. */
  public static final String STATE_IDLE = "idle";
  /** Value of {@link #CONNECTION_STATE}: borrowed by the application. */
  public static final String STATE_USED = "used";

  /** Label value of an operation whose first keyword is not a known SQL command. */
  public static final String OTHER_OPERATION = "_OTHER";

  // ---- settings ------------------------------------------------------------------------------

  /**
   * Setting: operations at least this long count as slow (counted, one WARN line); a duration
   * such as {@code 500ms} or {@code 2s}; default {@code 500ms}. The builder's
   * {@code slowOperationThreshold} wins.
   */
  public static final String SLOW_THRESHOLD_SETTING = "TELEMETRYKIT_JDBC_SLOW_THRESHOLD";
  /**
   * Setting: whether to parse the table name from the SQL into {@code db_collection_name};
   * default {@code true}. The builder's {@code captureCollectionName} wins.
   */
  public static final String CAPTURE_COLLECTION_SETTING = "TELEMETRYKIT_JDBC_CAPTURE_COLLECTION";
  /**
   * Setting: how many distinct SQL strings keep their parsed form cached per data source;
   * default {@code 1000}. Past it, new SQL strings are parsed on each execution.
   */
  public static final String SQL_CACHE_SIZE_SETTING = "TELEMETRYKIT_JDBC_SQL_CACHE_SIZE";

  /**
   * Setting: executions of one statement (literals replaced by {@code ?}) within one unit of
   * work from which it counts as repeated (N+1); an integer from 2; default {@code 10}. The
   * builder's {@code repeatedQueryThreshold} wins.
   */
  public static final String REPEAT_THRESHOLD_SETTING = "TELEMETRYKIT_JDBC_REPEAT_THRESHOLD";

  // ---- logs and spans --------------------------------------------------------------------------

  /** Logger of the slow-operation WARN lines. */
  public static final String SLOW_OPERATION_LOGGER = "dev.telemetrykit.jdbc.SlowOperations";
  /** Logger of the repeated-statement (N+1) WARN lines, one per unit of work. */
  public static final String REPEATED_QUERIES_LOGGER = "dev.telemetrykit.jdbc.RepeatedQueries";
  /** Structured log field: the unit of work's name (the route of a server request). */
  public static final String LOG_UNIT_OF_WORK = "unit_of_work";
  /** Structured log field: how often the most repeated statement ran in the unit. */
  public static final String LOG_REPEAT_COUNT = "repeat_count";
  /** Structured log field: the sanitised SQL (literals replaced by {@code ?}). */
  public static final String LOG_QUERY_TEXT = "db.query.text";
  /** Structured log field: the operation's duration in milliseconds. */
  public static final String LOG_DURATION_MS = "duration_ms";
  /** {@code telemetrykit_instrumentation_errors_total} component of this module. */
  public static final String COMPONENT = "jdbc";
  /** Instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_SCOPE = "dev.telemetrykit.jdbc";
}
