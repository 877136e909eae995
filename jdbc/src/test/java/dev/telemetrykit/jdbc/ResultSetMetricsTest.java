package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  private double rowsCount() {
    return rows(Samples.scrape(telemetry), "_count");
  }

  private static int drain(ResultSet rs) throws SQLException {
    int n = 0;
    while (rs.next()) {
      n++;
    }
    return n;
  }

  @Test
  void everyQueryOfAReusedStatementIsRecordedExactly() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM items WHERE id <= ?")) {
      ResultSet previous = null;
      for (int i = 1; i <= 5; i++) {
        ps.setInt(1, i);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.isClosed()).isFalse();
          if (previous != null) {
            previous.close(); // closing a closed result set again is a no-op (JDBC) ...
            assertThat(rs.isClosed()).isFalse(); // ... and never closes the current one
          }
          previous = rs;
          assertThat(drain(rs)).isEqualTo(i);
        }
      }
      // closed after one row of three, then read again: counts start over
      ps.setInt(1, 3);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
      ps.setInt(1, 2);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(drain(rs)).isEqualTo(2);
        assertThat(rs.getStatement()).isSameAs(ps);
      }
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(7);
    assertThat(rows(scrape, "_sum")).isEqualTo(1 + 2 + 3 + 4 + 5 + 1 + 2);
  }

  @Test
  void aResultSetKeptOpenAcrossAReExecutionKeepsItsOwnDriverResultSet() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM items WHERE id <= ?")) {
      ps.setInt(1, 10);
      ResultSet old = ps.executeQuery();
      assertThat(old.next()).isTrue();
      assertThat(old.next()).isTrue();
      ps.setInt(1, 3);
      ResultSet current = ps.executeQuery(); // the driver closes the old one (JDBC)
      assertThat(current).isNotSameAs(old);
      assertThat(old.isClosed()).isTrue();
      assertThatThrownBy(old::next).isInstanceOf(SQLException.class);
      assertThat(current.next()).isTrue();
      old.close(); // a late close of the old one leaves the current one alone
      assertThat(current.isClosed()).isFalse();
      assertThat(current.next()).isTrue();
      assertThat(current.next()).isTrue();
      assertThat(current.next()).isFalse();
      current.close();
      // the next query has its own wrapper: stale references cannot touch it
      ps.setInt(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs).isNotSameAs(current).isNotSameAs(old);
        current.close();
        assertThat(rs.isClosed()).isFalse();
        assertThat(drain(rs)).isEqualTo(1);
      }
      assertThat(old.isClosed()).isTrue();
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(3);
    assertThat(rows(scrape, "_sum")).isEqualTo(2 + 3 + 1);
  }

  @Test
  void resultSetsOfSeveralStatementsAndOfGetMoreResultsAreEachRecordedOnce()
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement a = c.prepareStatement("SELECT id FROM items WHERE id <= 4");
        PreparedStatement b = c.prepareStatement("SELECT id FROM items WHERE id <= 6")) {
      // two statements, their result sets open at once and read interleaved
      ResultSet ra = a.executeQuery();
      ResultSet rb = b.executeQuery();
      assertThat(ra).isNotSameAs(rb);
      int na = 0;
      int nb = 0;
      while (ra.next()) {
        na++;
        if (rb.next()) {
          nb++;
        }
      }
      assertThat(na).isEqualTo(4);
      assertThat(rowsCount()).isEqualTo(1);
      nb += drain(rb);
      assertThat(nb).isEqualTo(6);
      ra.close();
      rb.close();
      // execute() + getResultSet() + getMoreResults(): one result set, then none
      assertThat(a.execute()).isTrue();
      ResultSet r = a.getResultSet();
      assertThat(r).isNotSameAs(ra); // a new wrapper per query
      assertThat(a.getResultSet()).isSameAs(r);
      assertThat(r.next()).isTrue();
      assertThat(a.getMoreResults(Statement.KEEP_CURRENT_RESULT)).isFalse();
      assertThat(r.next()).isTrue(); // still readable: the driver kept it
      assertThat(a.getMoreResults()).isFalse(); // closes it
      assertThat(r.isClosed()).isTrue();
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(3);
    assertThat(rows(scrape, "_sum")).isEqualTo(4 + 6 + 2);
  }

  @Test
  void generatedKeysAreTheDriversAndLeaveTheQueryResultSetsExact() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, text VARCHAR(20))");
      ResultSet first;
      try (ResultSet rs = s.executeQuery("SELECT id FROM items WHERE id <= 3")) {
        first = rs;
        assertThat(drain(rs)).isEqualTo(3);
      }
      s.executeUpdate("INSERT INTO notes (text) VALUES ('a')", Statement.RETURN_GENERATED_KEYS);
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertThat(keys).isNotSameAs(first);
        assertThat(keys.next()).isTrue();
        assertThat(keys.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM items WHERE id <= 4")) {
        assertThat(rs).isNotSameAs(first);
        assertThat(drain(rs)).isEqualTo(4);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (text) VALUES (?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, "b");
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(drain(keys)).isEqualTo(1);
        }
      }
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(2);
    assertThat(rows(scrape, "_sum")).isEqualTo(3 + 4);
  }

  @Test
  void closingTheStatementFirstOrLastRecordsEachResultSetOnce() throws SQLException {
    try (Connection c = ds.getConnection()) {
      PreparedStatement ps = c.prepareStatement("SELECT id FROM items WHERE id <= 5");
      ResultSet rs = ps.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.next()).isTrue();
      ps.close(); // records the 2 rows read
      assertThat(rs.isClosed()).isTrue();
      rs.close();
      assertThat(rowsCount()).isEqualTo(1);

      ps = c.prepareStatement("SELECT id FROM items WHERE id <= 5");
      rs = ps.executeQuery();
      assertThat(drain(rs)).isEqualTo(5); // recorded at exhaustion
      rs.close();
      ps.close();
      assertThat(rowsCount()).isEqualTo(2);

      // an update between two queries closes the open result set (JDBC)
      try (Statement s = c.createStatement()) {
        ResultSet open = s.executeQuery("SELECT id FROM items WHERE id <= 5");
        assertThat(open.next()).isTrue();
        s.executeUpdate("UPDATE items SET name = 'x' WHERE id = 30");
        try (ResultSet next = s.executeQuery("SELECT id FROM items WHERE id <= 2")) {
          assertThat(next).isNotSameAs(open);
          assertThat(drain(next)).isEqualTo(2);
        }
      }
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(rows(scrape, "_count")).isEqualTo(4);
    assertThat(rows(scrape, "_sum")).isEqualTo(2 + 5 + 1 + 2);
  }
}
