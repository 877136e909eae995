package dev.telemetrykit.jdbc.internal;

import static dev.telemetrykit.jdbc.JdbcNames.*;

import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;

/** Registers (get-or-create) the {@code db_client_*} metrics with their help texts and buckets. */
public final class DbMeters {

  /** Bucket upper bounds of every {@code db_client_*} histogram, in seconds (semconv advice). */
  private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

  private DbMeters() {}

  /** {@code db_client_operation_duration_seconds}. */
  public static GuardedHistogram operationDuration(Meters meters) {
    return meters.histogram(OPERATION_DURATION)
        .help("Duration of database client operations (statement executions)")
        .labelNames(DB_SYSTEM_NAME, DB_OPERATION_NAME, DB_COLLECTION_NAME, ERROR_TYPE)
        .buckets(BUCKETS)
        .register();
  }

  /** {@code db_client_slow_operations_total}. */
  public static GuardedCounter slowOperations(Meters meters) {
    return meters.counter(SLOW_OPERATIONS)
        .help("Database client operations that took at least the slow-operation threshold")
        .labelNames(DB_SYSTEM_NAME, DB_OPERATION_NAME, DB_COLLECTION_NAME, ERROR_TYPE)
        .register();
  }

  /** Bucket upper bounds of {@code db_client_response_returned_rows} (semconv advice). */
  private static final double[] ROW_BUCKETS =
      {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};

  /** {@code db_client_response_returned_rows}. */
  public static GuardedHistogram returnedRows(Meters meters) {
    return meters.histogram(RETURNED_ROWS)
        .help("Rows the application fetched from a query's result set")
        .labelNames(DB_SYSTEM_NAME, DB_OPERATION_NAME, DB_COLLECTION_NAME)
        .buckets(ROW_BUCKETS)
        .register();
  }

  /** {@code db_client_response_fetch_duration_seconds}. */
  public static GuardedHistogram fetchDuration(Meters meters) {
    return meters.histogram(FETCH_DURATION)
        .help("Time spent in ResultSet.next() fetching a query's rows, per result set")
        .labelNames(DB_SYSTEM_NAME, DB_OPERATION_NAME, DB_COLLECTION_NAME)
        .buckets(BUCKETS)
        .register();
  }

  /** {@code db_client_repeated_queries_total}. */
  public static GuardedCounter repeatedQueries(Meters meters) {
    return meters.counter(REPEATED_QUERIES)
        .help("Units of work (server requests, correlation scopes) in which one statement ran"
            + " at least the repeat threshold times (N+1 query pattern); +1 per unit and statement")
        .labelNames(DB_SYSTEM_NAME, DB_OPERATION_NAME, DB_COLLECTION_NAME)
        .register();
  }

  /** A pool-name-labelled histogram of connection times. */
  public static GuardedHistogram poolHistogram(Meters meters, String name, String help) {
    return meters.histogram(name).help(help).labelNames(POOL_NAME).buckets(BUCKETS).register();
  }

  /** {@code db_client_connection_timeouts_total}. */
  public static GuardedCounter poolTimeouts(Meters meters) {
    return meters.counter(CONNECTION_TIMEOUTS)
        .help("Requests for a pooled database connection that timed out")
        .labelNames(POOL_NAME)
        .register();
  }
}
