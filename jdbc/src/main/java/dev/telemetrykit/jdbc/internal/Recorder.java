package dev.telemetrykit.jdbc.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.jdbc.JdbcNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the operations of one wrapped data source: duration histogram, slow-operation counter
 * and WARN line, client spans. Shared by all its connections and statements; thread-safe.
 *
 * <p>Recording never throws: every failure inside is counted in
 * {@code telemetrykit_instrumentation_errors_total{component="jdbc"}}.
 */
public final class Recorder {

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> DB_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /** Default of the N+1 threshold. */
  public static final int DEFAULT_REPEAT_THRESHOLD = 10;

  /** At most one slow-operation WARN line per statement in this interval. */
  static final long SLOW_LOG_INTERVAL_NANOS = 60_000_000_000L;

  private static final Logger SLOW_LOG = LoggerFactory.getLogger(JdbcNames.SLOW_OPERATION_LOGGER);

  private final String name;
  private final long slowThresholdNanos;
  private final boolean captureCollection;
  private final int cacheSize;
  private final InstrumentationErrors errors;
  private final GuardedHistogram duration;
  private final GuardedCounter slow;
  private final Tracing tracing;
  private final int repeatThreshold;
  private final GuardedCounter repeated;
  private final GuardedHistogram returnedRows;
  private final GuardedHistogram fetchDuration;
  private final ConcurrentHashMap<String, SqlInfo> cache = new ConcurrentHashMap<>();

  private volatile boolean resolved;
  private String system = DbSystems.OTHER_SQL;
  private String serverAddress;
  private long serverPort = -1;
  private volatile SqlInfo mixedBatch;

  /**
   * @param name the data source name, shown in slow-operation log lines
   * @param openTelemetry spans go here; {@code null} = the global one once it is set
   */
  public Recorder(Meters meters, String name, Duration slowThreshold, boolean captureCollection,
      int cacheSize, OpenTelemetry openTelemetry) {
    this(meters, name, slowThreshold, captureCollection, cacheSize, openTelemetry,
        DEFAULT_REPEAT_THRESHOLD);
  }

  /**
   * @param repeatThreshold executions of one statement in one unit of work from which it is
   *     reported as repeated (N+1)
   */
  public Recorder(Meters meters, String name, Duration slowThreshold, boolean captureCollection,
      int cacheSize, OpenTelemetry openTelemetry, int repeatThreshold) {
    this.repeatThreshold = repeatThreshold;
    this.repeated = DbMeters.repeatedQueries(meters);
    this.returnedRows = DbMeters.returnedRows(meters);
    this.fetchDuration = DbMeters.fetchDuration(meters);
    this.name = name;
    this.slowThresholdNanos = slowThreshold.toNanos();
    this.captureCollection = captureCollection;
    this.cacheSize = cacheSize;
    this.errors = meters.errors();
    this.duration = DbMeters.operationDuration(meters);
    this.slow = DbMeters.slowOperations(meters);
    this.tracing = new Tracing(openTelemetry);
  }

  /** The data source name. */
  public String name() {
    return name;
  }

  /** The {@code db_system_name} in use ({@code other_sql} until the first connection). */
  public String systemName() {
    return system;
  }

  /** Called with each new connection; reads the metadata of the first one. */
  void onConnection(Connection connection) {
    if (!resolved) {
      resolve(connection);
    }
  }

  private synchronized void resolve(Connection connection) {
    if (resolved) {
      return;
    }
    try {
      DatabaseMetaData metaData = connection.getMetaData();
      system = DbSystems.fromProductName(metaData.getDatabaseProductName());
      parseServer(metaData.getURL());
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
    }
    resolved = true;
  }

  /** {@code jdbc:postgresql://host:5432/db} → host, 5432; other URL forms set nothing. */
  private void parseServer(String url) {
    if (url == null) {
      return;
    }
    int slashes = url.indexOf("//");
    if (slashes < 0) {
      return;
    }
    int from = slashes + 2;
    int to = from;
    while (to < url.length() && "/?;,".indexOf(url.charAt(to)) < 0) {
      to++;
    }
    String hostPort = url.substring(from, to);
    int at = hostPort.lastIndexOf('@');
    if (at >= 0) {
      hostPort = hostPort.substring(at + 1); // never keep user:password@
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0 && hostPort.indexOf(']') < colon) {
      try {
        serverPort = Long.parseLong(hostPort.substring(colon + 1));
      } catch (NumberFormatException ignored) {
        // no port
      }
      hostPort = hostPort.substring(0, colon);
    }
    if (!hostPort.isEmpty()) {
      serverAddress = hostPort;
    }
  }

  /** What is known about {@code sql}; cached for the first {@code cacheSize} SQL strings. */
  SqlInfo info(String sql) {
    if (sql == null) {
      return unknown();
    }
    SqlInfo info = cache.get(sql);
    if (info != null) {
      return info;
    }
    try {
      info = create(sql);
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
      return unknown();
    }
    if (cache.size() < cacheSize) {
      SqlInfo raced = cache.putIfAbsent(sql, info);
      if (raced != null) {
        return raced;
      }
    }
    return info;
  }

  private SqlInfo create(String sql) {
    SqlParser.Parsed parsed = SqlParser.parse(sql);
    return newInfo(sql, parsed.operation, captureCollection ? parsed.collection : null);
  }

  private SqlInfo newInfo(String sql, String operation, String collection) {
    String label = collection == null ? "" : collection;
    String spanName = operation + " " + (collection != null ? collection : system);
    return new SqlInfo(sql, operation, collection, spanName,
        duration.labelValues(system, operation, label, ""),
        slow.labelValues(system, operation, label, ""), this);
  }

  private SqlInfo unknown() {
    return info("");
  }

  /** The batch form of a statement: operation {@code BATCH <op>} (semconv). */
  SqlInfo batchOf(SqlInfo single) {
    if (single.sql == null) {
      return single;
    }
    return newInfo(single.sql, "BATCH " + single.operation, single.collection);
  }

  /** A batch of statements that differ in operation or collection: operation {@code BATCH}. */
  SqlInfo mixedBatch() {
    SqlInfo b = mixedBatch;
    if (b == null) {
      b = newInfo(null, "BATCH", null);
      mixedBatch = b;
    }
    return b;
  }

  /**
   * Starts the client span of an operation, a child of the current span; {@code null} while
   * there is no OpenTelemetry. Never throws.
   *
   * @param batchSize the number of statements of a batch, 0 for a single statement
   */
  Span startSpan(SqlInfo info, long startNanos, int batchSize) {
    try {
      Tracer tracer = tracing.tracer(startNanos);
      if (tracer == null) {
        return null;
      }
      SpanBuilder builder = tracer.spanBuilder(info.spanName)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(DB_SYSTEM_NAME, system)
          .setAttribute(DB_OPERATION_NAME, info.operation);
      if (info.collection != null) {
        builder.setAttribute(DB_COLLECTION_NAME, info.collection);
      }
      String text = info.sanitized();
      if (text != null) {
        builder.setAttribute(DB_QUERY_TEXT, text);
      }
      if (batchSize >= 2) {
        builder.setAttribute(DB_BATCH_SIZE, (long) batchSize);
      }
      if (serverAddress != null) {
        builder.setAttribute(SERVER_ADDRESS, serverAddress);
        if (serverPort > 0) {
          builder.setAttribute(SERVER_PORT, serverPort);
        }
      }
      return builder.startSpan();
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
      return null;
    }
  }

  /** Records a successful operation that started at {@code startNanos}. Never throws. */
  void success(SqlInfo info, Span span, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    UnitOfWork unit = UnitOfWork.current();
    if (unit != null) {
      countInUnit(unit, info);
    }
    try {
      info.duration.observe(elapsed / 1e9);
      if (elapsed >= slowThresholdNanos) {
        info.slow.inc();
        logSlow(info, elapsed, null);
      }
      if (span != null) {
        span.end();
      }
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
    }
  }

  /**
   * Records a failed operation. Never throws; the caller rethrows {@code error} unchanged.
   */
  void failure(SqlInfo info, Span span, long startNanos, Throwable error) {
    long elapsed = System.nanoTime() - startNanos;
    UnitOfWork unit = UnitOfWork.current();
    if (unit != null) {
      countInUnit(unit, info);
    }
    try {
      String errorType = errorType(error);
      String collection = info.collection == null ? "" : info.collection;
      duration.labelValues(system, info.operation, collection, errorType).observe(elapsed / 1e9);
      if (elapsed >= slowThresholdNanos) {
        slow.labelValues(system, info.operation, collection, errorType).inc();
        logSlow(info, elapsed, errorType);
      }
      if (span != null) {
        span.setAttribute(ERROR_TYPE, errorType);
        if (error instanceof SQLException && ((SQLException) error).getSQLState() != null) {
          span.setAttribute(DB_STATUS_CODE, ((SQLException) error).getSQLState());
        }
        // No exception event: driver messages often quote the statement, literals included.
        span.setStatus(StatusCode.ERROR);
        span.end();
      }
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
    }
  }

  /**
   * Counts one execution of {@code info} in the unit, keyed by its sanitised text so that the
   * same statement with different inline literals counts as one; reports it once per unit when
   * it reaches the threshold. Never throws.
   */
  private void countInUnit(UnitOfWork unit, SqlInfo info) {
    try {
      if (!info.repeatable) {
        return;
      }
      String key = info.sanitized();
      if (unit.count(key, info) == repeatThreshold) {
        String collection = info.collection == null ? "" : info.collection;
        repeated.labelValues(system, info.operation, collection).inc();
        unit.onEnd(RepeatedQueries.REPORT);
      }
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
    }
  }

  /** Records the rows fetched from one result set and the time spent in {@code next()}. */
  void fetched(SqlInfo info, long rows, long fetchNanos) {
    try {
      info.rows().observe(rows);
      info.fetch().observe(fetchNanos / 1e9);
    } catch (Throwable t) {
      errors.record(JdbcNames.COMPONENT, t);
    }
  }

  io.prometheus.metrics.core.datapoints.DistributionDataPoint rowsSeries(SqlInfo info) {
    return returnedRows.labelValues(system, info.operation,
        info.collection == null ? "" : info.collection);
  }

  io.prometheus.metrics.core.datapoints.DistributionDataPoint fetchSeries(SqlInfo info) {
    return fetchDuration.labelValues(system, info.operation,
        info.collection == null ? "" : info.collection);
  }

  /** Executions of one statement in one unit from which it counts as repeated. */
  int repeatThreshold() {
    return repeatThreshold;
  }

  /** Counts a failure inside the module. */
  void recordError(Throwable t) {
    errors.record(JdbcNames.COMPONENT, t);
  }

  /** The SQLState class (first two characters) of a SQLException, else the exception class. */
  static String errorType(Throwable error) {
    if (error instanceof SQLException) {
      String state = ((SQLException) error).getSQLState();
      if (state != null && state.length() >= 2 && isStateChar(state.charAt(0))
          && isStateChar(state.charAt(1))) {
        return state.substring(0, 2);
      }
    }
    return error.getClass().getName();
  }

  private static boolean isStateChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  }

  private void logSlow(SqlInfo info, long elapsedNanos, String errorType) {
    long now = System.nanoTime();
    if (info.slowLogged && now - info.lastSlowLog < SLOW_LOG_INTERVAL_NANOS) {
      return;
    }
    synchronized (info) {
      if (info.slowLogged && now - info.lastSlowLog < SLOW_LOG_INTERVAL_NANOS) {
        return;
      }
      info.slowLogged = true;
      info.lastSlowLog = now;
    }
    long millis = elapsedNanos / 1_000_000;
    String text = info.sanitized() == null ? "(batch of different statements)" : info.sanitized();
    SLOW_LOG.atWarn()
        .addKeyValue(JdbcNames.LOG_QUERY_TEXT, text)
        .addKeyValue(JdbcNames.LOG_DURATION_MS, millis)
        .addKeyValue("db.system.name", system)
        .addKeyValue("db.operation.name", info.operation)
        .log("Slow database operation on '{}': {} took {} ms (threshold {} ms{}); further slow"
                + " runs of this statement within 60 s are only counted in {}: {}",
            name, info.operation, millis, slowThresholdNanos / 1_000_000,
            errorType == null ? "" : ", failed with " + errorType, JdbcNames.SLOW_OPERATIONS, text);
  }
}
