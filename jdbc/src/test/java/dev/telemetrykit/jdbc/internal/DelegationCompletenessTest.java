package dev.telemetrykit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every JDBC method, default methods included, is implemented by the wrappers themselves: a
 * default method left to the interface would not reach the driver (e.g.
 * {@code Statement.executeLargeUpdate} throws {@code UnsupportedOperationException} by default).
 */
class DelegationCompletenessTest {

  private static List<String> inheritedFromInterfaces(Class<?> wrapper, Class<?> jdbcInterface) {
    List<String> missing = new ArrayList<>();
    for (Method m : jdbcInterface.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        Method implementation = wrapper.getMethod(m.getName(), m.getParameterTypes());
        if (implementation.getDeclaringClass().isInterface()) {
          missing.add(m.toString());
        }
      } catch (NoSuchMethodException e) {
        missing.add(m.toString());
      }
    }
    return missing;
  }

  @Test
  void wrappersImplementEveryMethodOfTheirJdbcInterface() {
    assertThat(inheritedFromInterfaces(TelemetryDataSource.class, DataSource.class)).isEmpty();
    assertThat(inheritedFromInterfaces(TelemetryConnection.class, Connection.class)).isEmpty();
    assertThat(inheritedFromInterfaces(TelemetryStatement.class, Statement.class)).isEmpty();
    assertThat(inheritedFromInterfaces(TelemetryPreparedStatement.class, PreparedStatement.class))
        .isEmpty();
    assertThat(inheritedFromInterfaces(TelemetryCallableStatement.class, CallableStatement.class))
        .isEmpty();
    assertThat(inheritedFromInterfaces(TelemetryResultSet.class, java.sql.ResultSet.class))
        .isEmpty();
  }
}
