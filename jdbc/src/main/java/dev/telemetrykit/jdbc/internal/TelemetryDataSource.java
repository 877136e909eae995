package dev.telemetrykit.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.sql.ShardingKeyBuilder;
import java.sql.Wrapper;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} returned by {@code JdbcTelemetry.wrap}: hands out connections whose
 * statements are recorded; everything else is the wrapped data source's.
 * {@link #unwrap(Class)} reaches the wrapped data source (e.g. a {@code HikariDataSource}).
 */
public final class TelemetryDataSource extends JdbcWrapper implements DataSource {

  private final DataSource delegate;
  private final Recorder recorder;

  public TelemetryDataSource(DataSource delegate, Recorder recorder) {
    this.delegate = delegate;
    this.recorder = recorder;
  }

  /** The recorder; for tests and diagnostics. */
  public Recorder recorder() {
    return recorder;
  }

  /** The wrapped data source. */
  public DataSource delegate() {
    return delegate;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  Connection wrap(Connection connection) {
    if (connection == null) {
      return null;
    }
    recorder.onConnection(connection);
    return new TelemetryConnection(connection, recorder);
  }

  @Override
  public ConnectionBuilder createConnectionBuilder() throws SQLException {
    ConnectionBuilder builder = delegate.createConnectionBuilder();
    return new ConnectionBuilder() {
      @Override
      public ConnectionBuilder user(String username) {
        builder.user(username);
        return this;
      }

      @Override
      public ConnectionBuilder password(String password) {
        builder.password(password);
        return this;
      }

      @Override
      public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        builder.shardingKey(shardingKey);
        return this;
      }

      @Override
      public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        builder.superShardingKey(superShardingKey);
        return this;
      }

      @Override
      public Connection build() throws SQLException {
        return wrap(builder.build());
      }
    };
  }

  @Override
  public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    return delegate.createShardingKeyBuilder();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  Wrapper wrapped() {
    return delegate;
  }

  @Override
  public String toString() {
    return "TelemetryDataSource[" + recorder.name() + " -> " + delegate + "]";
  }
}
