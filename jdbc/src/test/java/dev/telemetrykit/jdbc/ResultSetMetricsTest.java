package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rows fetched and fetch time per result set, on a real H2 database. */
class ResultSetMetricsTest {

  private TelemetryKit telemetry;
  private DataSource ds;

  @BeforeEach
  void setUp() throws SQLException {
    telemetry = Samples.startTelemetry();
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
      for (int i = 1; i <= 30; i++) {
        s.execute("INSERT INTO items VALUES (" + i + ", 'n" + i + "')");
      }
    }
    ds = JdbcTelemetry.wrap(h2, telemetry);
  }

  @AfterEach
  void tearDown() {
    telemetry.close();
  }

  private double rows(String scrape, String suffix) {
    return Samples.value(scrape, RETURNED_ROWS + suffix, DB_SYSTEM_NAME, "h2",
        DB_OPERATION_NAME, "SELECT", DB_COLLECTION_NAME, "items");
  }

  @Test
  void rowsAndFetchTimeAreRecordedOncePerResultSet() throws SQLException {
    try (Connection c = ds.getConnection()) {
      // exhausted, then closed: recorded once, at exhaustion
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM items WHERE id <= 25")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertThat(n).isEqualTo(25);
        assertThat(rs.getStatement()).isSameAs(s);
        assertThat(rs.isWrapperFor(org.h2.jdbc.JdbcResultSet.class)).isTrue();
      }
      // closed after one row
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id > ?")) {
        ps.setInt(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("n1");
        }
        // execute() + getResultSet(), never closed: recorded when the statement closes
        ps.setInt(1, 28);
        assertThat(ps.execute()).isTrue();
        ResultSet rs = ps.getResultSet();
        assertThat(ps.getResultSet()).isSameAs(rs);
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isTrue();
      }
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(3);
    assertThat(rows(scrape, "_sum")).isEqualTo(25 + 1 + 2);
    assertThat(Samples.value(scrape, RETURNED_ROWS + "_bucket", DB_SYSTEM_NAME, "h2",
        DB_COLLECTION_NAME, "items", "le", "2.0")).isEqualTo(2);
    assertThat(Samples.value(scrape, FETCH_DURATION + "_count", DB_SYSTEM_NAME, "h2",
        DB_OPERATION_NAME, "SELECT", DB_COLLECTION_NAME, "items")).isEqualTo(3);
    assertThat(Samples.value(scrape, FETCH_DURATION + "_sum", DB_SYSTEM_NAME, "h2",
        DB_OPERATION_NAME, "SELECT", DB_COLLECTION_NAME, "items")).isPositive();
  }

  @Test
  void updatesRecordNoRows() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE items SET name = 'x' WHERE id = 1");
    }
    assertThat(Samples.scrape(telemetry)).doesNotContain(RETURNED_ROWS + "_count{");
  }
}
