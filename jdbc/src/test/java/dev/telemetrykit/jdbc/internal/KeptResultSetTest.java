package dev.telemetrykit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.jdbc.JdbcNames;
import dev.telemetrykit.jdbc.JdbcTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A driver that keeps the previous result set open when the statement hands out the next one
 * (what {@code getMoreResults(KEEP_CURRENT_RESULT)} does on drivers with multiple open results;
 * H2 has none, so two of H2's result sets are handed to one statement's tracking directly):
 * each is recorded once, with every row the application read from it.
 */
class KeptResultSetTest {

  private TelemetryKit telemetry;
  private JdbcDataSource h2;

  @BeforeEach
  void setUp() throws SQLException {
    telemetry = TelemetryKit.builder().serviceName("jdbc-test").metricsPort(0)
        .shutdownHook(false).jvmMetrics(false).registry(new PrometheusRegistry()).modules()
        .start();
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INT PRIMARY KEY)");
      s.execute("INSERT INTO items SELECT X FROM SYSTEM_RANGE(1, 10)");
    }
  }

  @AfterEach
  void tearDown() {
    telemetry.close();
  }

  /** Sum or count of the rows histogram (one series in this test). */
  private double rows(String suffix) {
    String name = JdbcNames.RETURNED_ROWS + suffix + "{";
    for (String line : Scrapes.text(telemetry.metricsPort()).split("\n")) {
      if (line.startsWith(name)) {
        return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  @Test
  void resultSetsTheDriverKeepsOpenAreEachRecordedOnceWithAllTheirRows() throws SQLException {
    try (Connection raw = h2.getConnection();
        Statement rawA = raw.createStatement();
        Statement rawB = raw.createStatement();
        Statement rawC = raw.createStatement();
        Connection c = JdbcTelemetry.wrap(h2, telemetry).getConnection()) {
      Statement s = c.createStatement();
      TelemetryStatement ts = s.unwrap(TelemetryStatement.class);
      SqlInfo info = ts.recorder.info("SELECT id FROM items");

      ResultSet a = ts.track(rawA.executeQuery("SELECT id FROM items WHERE id <= 3"), info);
      assertThat(a.next()).isTrue();
      ResultSet b = ts.track(rawB.executeQuery("SELECT id FROM items WHERE id <= 5"), info);
      assertThat(b).isNotSameAs(a);
      assertThat(a.next()).isTrue(); // still open, still counted
      assertThat(b.next()).isTrue();
      a.close(); // 2 rows
      assertThat(rows("_count")).isEqualTo(1);
      assertThat(rows("_sum")).isEqualTo(2);

      // b is still open: a third result set keeps it, and a fourth records it (one slot)
      ResultSet d = ts.track(rawC.executeQuery("SELECT id FROM items WHERE id <= 7"), info);
      assertThat(b.next()).isTrue(); // 2 rows
      assertThat(rows("_count")).isEqualTo(1);
      assertThat(d.next()).isTrue(); // 1 row, still open
      ResultSet e = ts.track(rawA.executeQuery("SELECT id FROM items WHERE id <= 1"), info);
      assertThat(rows("_count")).isEqualTo(2); // b recorded when the slot was needed
      assertThat(rows("_sum")).isEqualTo(2 + 2);
      assertThat(e.next()).isTrue();
      s.close(); // records the kept d (1 row) and the open e (1 row)
      assertThat(rows("_count")).isEqualTo(4);
      assertThat(rows("_sum")).isEqualTo(2 + 2 + 1 + 1);
      a.close();
      b.close();
      d.close();
      e.close();
      assertThat(rows("_count")).isEqualTo(4);
    }
  }
}
