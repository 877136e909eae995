package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** HikariCP is optional: the wrapper works in a class loader that does not have it. */
class WithoutHikariTest {

  @Test
  void wrappingWorksWithoutHikariOnTheClassPath() throws Throwable {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("HikariCP")) {
        urls.add(toUrl(entry));
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("com.zaxxer.hikari.metrics.MetricsTrackerFactory"))
          .isInstanceOf(ClassNotFoundException.class);

      Class<?> kitType = Class.forName("dev.telemetrykit.core.TelemetryKit", true, loader);
      Object builder = kitType.getMethod("builder").invoke(null);
      Class<?> builderType = builder.getClass();
      builderType.getMethod("serviceName", String.class).invoke(builder, "no-hikari");
      builderType.getMethod("metricsServer", boolean.class).invoke(builder, false);
      builderType.getMethod("shutdownHook", boolean.class).invoke(builder, false);
      builderType.getMethod("jvmMetrics", boolean.class).invoke(builder, false);
      Object kit = builderType.getMethod("start").invoke(builder);
      try {
        Class<?> jdbc = Class.forName("dev.telemetrykit.jdbc.JdbcTelemetry", true, loader);
        MethodHandle wrap = MethodHandles.publicLookup().findStatic(jdbc, "wrap",
            MethodType.methodType(DataSource.class, DataSource.class, kitType));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:no-hikari");
        DataSource ds = (DataSource) wrap.invoke((DataSource) h2, kit);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(ds.getClass().getClassLoader()).isSameAs(loader);
      } finally {
        ((AutoCloseable) kit).close();
      }
    }
  }

  private static URL toUrl(String path) {
    try {
      return new File(path).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new AssertionError(e);
    }
  }
}
