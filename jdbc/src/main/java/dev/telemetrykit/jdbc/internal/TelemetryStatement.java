package dev.telemetrykit.jdbc.internal;

import io.opentelemetry.api.trace.Span;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Wrapper;

/**
 * A {@link Statement} whose executions are recorded by a {@link Recorder}; every other method
 * is a plain call on the driver's statement. Hand-written delegation, not a
 * {@link java.lang.reflect.Proxy}: an execution costs two {@code nanoTime} calls and one
 * histogram {@code observe} more than the driver's own.
 *
 * <p>Exceptions of the driver reach the caller unchanged (the same instance); the recorder
 * never throws. {@link #getConnection()} returns the wrapping connection; result sets are the
 * driver's own.
 */
class TelemetryStatement extends JdbcWrapper implements Statement {

  final Statement delegate;
  final Connection connection;
  final Recorder recorder;

  /** First statement of the current batch, null when the batch is empty. */
  private SqlInfo batchFirst;
  /** Whether the batch holds statements of different operations or collections. */
  private boolean batchMixed;
  private int batchSize;
  /** The last result set handed out: recorded when the next one is or the statement closes. */
  private TelemetryResultSet open;
  /**
   * A result set the driver kept open when the next one came (e.g.
   * {@code getMoreResults(KEEP_CURRENT_RESULT)}); recorded by its own close or exhaustion, or
   * when the statement closes. One slot: a second one records the first.
   */
  private TelemetryResultSet kept;

  TelemetryStatement(Statement delegate, Connection connection, Recorder recorder) {
    this.delegate = delegate;
    this.connection = connection;
    this.recorder = recorder;
  }

  // ---- result sets ----

  /**
   * Wraps a query's result set so its rows and fetch time are recorded; never throws. The
   * previous one, if the application left it open, was closed by the driver now (JDBC:
   * re-executing closes the current result set) and is recorded, unless the driver kept it open
   * ({@code KEEP_CURRENT_RESULT}). Each query gets a new wrapper (one 48-byte object): reusing
   * the closed previous one would allocate nothing, but a stale reference to it closed again
   * — a no-op in JDBC — would then close the new result set under the application.
   */
  final ResultSet track(ResultSet result, SqlInfo info) {
    if (result == null) {
      return null;
    }
    try {
      TelemetryResultSet previous = open;
      if (previous == null) {
        return open = new TelemetryResultSet(result, this, info);
      }
      if (previous.delegate() == result) {
        return previous;
      }
      if (previous.closedByApplication()) {
        return open = new TelemetryResultSet(result, this, info); // recorded when it closed
      }
      if (previous.delegate().isClosed()) {
        previous.record();
      } else {
        TelemetryResultSet older = kept;
        if (older != null) {
          older.record();
        }
        kept = previous;
      }
      return open = new TelemetryResultSet(result, this, info);
    } catch (Throwable t) {
      recorder.recordError(t);
      return result;
    }
  }

  /** Records the result sets not recorded yet: the statement closes them. */
  private void recordResults() {
    TelemetryResultSet last = open;
    if (last != null) {
      last.record();
      open = null;
    }
    TelemetryResultSet older = kept;
    if (older != null) {
      older.record();
      kept = null;
    }
  }

  // ---- batches ----

  final void noteBatch(SqlInfo info) {
    if (batchFirst == null) {
      batchFirst = info;
    } else if (batchFirst != info && !(batchFirst.operation.equals(info.operation)
        && java.util.Objects.equals(batchFirst.collection, info.collection))) {
      batchMixed = true;
    }
    batchSize++;
  }

  /** What an empty batch is recorded as. */
  SqlInfo emptyBatch() {
    return recorder.mixedBatch();
  }

  private SqlInfo batchInfo() {
    if (batchMixed) {
      return recorder.mixedBatch();
    }
    if (batchFirst == null) {
      return emptyBatch();
    }
    return batchSize == 1 ? batchFirst : batchFirst.batch(recorder);
  }

  private void resetBatch() {
    batchFirst = null;
    batchMixed = false;
    batchSize = 0;
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    delegate.addBatch(sql);
    noteBatch(recorder.info(sql));
  }

  @Override
  public void clearBatch() throws SQLException {
    delegate.clearBatch();
    resetBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    SqlInfo info = batchInfo();
    int size = batchSize;
    resetBatch();
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, size);
    try {
      int[] result = delegate.executeBatch();
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    SqlInfo info = batchInfo();
    int size = batchSize;
    resetBatch();
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, size);
    try {
      long[] result = delegate.executeLargeBatch();
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  // ---- wrapper ----

  @Override
  public Connection getConnection() throws SQLException {
    return connection;
  }

  @Override
  Wrapper wrapped() {
    return delegate;
  }

  // ---- executions: timed, counted and traced ----

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      ResultSet result = delegate.executeQuery(sql);
      recorder.success(info, span, start);
      return track(result, info);
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      int result = delegate.executeUpdate(sql);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      int result = delegate.executeUpdate(sql, autoGeneratedKeys);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      int result = delegate.executeUpdate(sql, columnIndexes);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      int result = delegate.executeUpdate(sql, columnNames);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      boolean result = delegate.execute(sql);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      boolean result = delegate.execute(sql, autoGeneratedKeys);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      boolean result = delegate.execute(sql, columnIndexes);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      boolean result = delegate.execute(sql, columnNames);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      long result = delegate.executeLargeUpdate(sql);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      long result = delegate.executeLargeUpdate(sql, autoGeneratedKeys);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      long result = delegate.executeLargeUpdate(sql, columnIndexes);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    SqlInfo info = recorder.info(sql);
    long start = System.nanoTime();
    Span span = recorder.startSpan(info, start, 0);
    try {
      long result = delegate.executeLargeUpdate(sql, columnNames);
      recorder.success(info, span, start);
      return result;
    } catch (Throwable e) {
      recorder.failure(info, span, start, e);
      throw e;
    }
  }

  // ---- plain delegation ----

  @Override
  public void close() throws SQLException {
    recordResults();
    delegate.close();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return delegate.getMaxFieldSize();
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    delegate.setMaxFieldSize(max);
  }

  @Override
  public int getMaxRows() throws SQLException {
    return delegate.getMaxRows();
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    delegate.setMaxRows(max);
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    delegate.setEscapeProcessing(enable);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return delegate.getQueryTimeout();
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    delegate.setQueryTimeout(seconds);
  }

  @Override
  public void cancel() throws SQLException {
    delegate.cancel();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    delegate.setCursorName(name);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return delegate.getResultSet();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return delegate.getUpdateCount();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return delegate.getMoreResults();
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    delegate.setFetchDirection(direction);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return delegate.getFetchDirection();
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    delegate.setFetchSize(rows);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate.getFetchSize();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return delegate.getResultSetConcurrency();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return delegate.getResultSetType();
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return delegate.getMoreResults(current);
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return delegate.getGeneratedKeys();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return delegate.getResultSetHoldability();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    delegate.setPoolable(poolable);
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return delegate.isPoolable();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    delegate.closeOnCompletion();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return delegate.isCloseOnCompletion();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return delegate.getLargeUpdateCount();
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    delegate.setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return delegate.getLargeMaxRows();
  }

  @Override
  public String enquoteLiteral(String val) throws SQLException {
    return delegate.enquoteLiteral(val);
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    return delegate.enquoteIdentifier(identifier, alwaysQuote);
  }

  @Override
  public boolean isSimpleIdentifier(String identifier) throws SQLException {
    return delegate.isSimpleIdentifier(identifier);
  }

  @Override
  public String enquoteNCharLiteral(String val) throws SQLException {
    return delegate.enquoteNCharLiteral(val);
  }
}
