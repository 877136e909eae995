package dev.telemetrykit.jdbc.internal;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * The one {@link Wrapper} implementation of every JDBC wrapper here: {@code unwrap} and
 * {@code isWrapperFor} answer for the wrapper itself first, then ask the driver's object, so
 * that an application (or a pool) unwrapping to a driver class gets the driver's object.
 */
abstract class JdbcWrapper implements Wrapper {

  /** The driver's (or pool's) object this one wraps. */
  abstract Wrapper wrapped();

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : wrapped().unwrap(iface);
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || wrapped().isWrapperFor(iface);
  }
}
