package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The application gets the very exception instance its driver threw. A real driver creates a
 * new exception per failure, so to compare instances this test uses a stand-in driver (a JDK
 * dynamic proxy, test code only) that throws exceptions it holds; everything else is real.
 */
class ExceptionTransparencyTest {

  private static final SQLException DEADLOCK = new SQLException("deadlock", "40P01");
  private static final IllegalStateException DRIVER_BUG = new IllegalStateException("driver bug");

  private static <T> T stub(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static DataSource driverThatFails() {
    Statement statement = stub(Statement.class, (p, m, a) -> {
      switch (m.getName()) {
        case "executeQuery":
          throw DEADLOCK;
        case "executeUpdate":
          throw DRIVER_BUG;
        default:
          return null;
      }
    });
    Connection connection = stub(Connection.class, (p, m, a) -> {
      switch (m.getName()) {
        case "createStatement":
          return statement;
        case "getMetaData":
          throw new SQLException("metadata unavailable");
        default:
          return null;
      }
    });
    return stub(DataSource.class, (p, m, a) -> m.getName().equals("getConnection") ? connection : null);
  }

  @Test
  void theApplicationGetsTheSameExceptionInstanceTheDriverThrew() throws SQLException {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      DataSource ds = JdbcTelemetry.wrap(driverThatFails(), telemetry);
      // The metadata failure is the instrumentation's problem: counted, never thrown.
      Connection c = ds.getConnection();
      assertThat(telemetry.instrumentationErrors().count(JdbcNames.COMPONENT)).isEqualTo(1);
      Statement s = c.createStatement();

      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM accounts")).isSameAs(DEADLOCK);
      assertThatThrownBy(() -> s.executeUpdate("UPDATE accounts SET x = 1")).isSameAs(DRIVER_BUG);

      String scrape = Samples.scrape(telemetry);
      assertThat(Samples.value(scrape, JdbcNames.OPERATION_DURATION + "_count",
          JdbcNames.DB_SYSTEM_NAME, "other_sql", JdbcNames.DB_OPERATION_NAME, "SELECT",
          JdbcNames.ERROR_TYPE, "40")).isEqualTo(1);
      assertThat(Samples.value(scrape, JdbcNames.OPERATION_DURATION + "_count",
          JdbcNames.DB_OPERATION_NAME, "UPDATE",
          JdbcNames.ERROR_TYPE, "java.lang.IllegalStateException")).isEqualTo(1);
    }
  }
}
