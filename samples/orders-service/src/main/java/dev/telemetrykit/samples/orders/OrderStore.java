package dev.telemetrykit.samples.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Orders and their outbox in a relational database (H2 in memory by default). */
final class OrderStore {

  private final DataSource dataSource;

  OrderStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS orders (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
          + " customer VARCHAR(100) NOT NULL, item VARCHAR(100) NOT NULL,"
          + " quantity INT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
      s.execute("CREATE TABLE IF NOT EXISTS outbox (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
          + " order_id BIGINT NOT NULL, event VARCHAR(400) NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS orders_customer ON orders(customer)");
      // A stand-in for an expensive query plan, so the demo has slow queries to show.
      s.execute("CREATE ALIAS IF NOT EXISTS PAUSE_MILLIS FOR 'java.lang.Thread.sleep'");
    }
  }

  long insert(String customer, String item, int quantity) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO orders (customer, item, quantity) VALUES (?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, customer);
      ps.setString(2, item);
      ps.setInt(3, quantity);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  Optional<Order> find(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT id, customer, item, quantity FROM orders WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  List<Order> byCustomer(String customer, boolean slow) throws SQLException {
    String sql = slow
        // The pause is in its own one-row branch, so it runs once per query (250 ms). H2 runs a
        // pause in the WHERE clause, or in a joined or scalar subquery, once per matching row,
        // which made this query (and the demo) slower as a customer's orders grew.
        ? "SELECT id, customer, item, quantity FROM orders WHERE customer = ?"
            + " UNION ALL SELECT NULL, NULL, NULL, NULL FROM (VALUES 1)"
            + " WHERE PAUSE_MILLIS(250) IS NOT NULL ORDER BY id"
        : "SELECT id, customer, item, quantity FROM orders WHERE customer = ? ORDER BY id";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, customer);
      List<Order> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The ids of a customer's most recent orders, newest first. */
  List<Long> recentIds(String customer, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM orders WHERE customer = ? ORDER BY id DESC LIMIT ?")) {
      ps.setString(1, customer);
      ps.setInt(2, limit);
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }

  /**
   * Orders moved to the archive. The archive table is created by a migration this sample never
   * runs, so this fails with a SQL error — the demo's source of failed queries.
   */
  List<Order> archivedByCustomer(String customer) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, customer, item, quantity FROM orders_archive WHERE customer = ?")) {
      ps.setString(1, customer);
      List<Order> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** Writes a batch of outbox events in one JDBC batch; returns the number written. */
  int appendOutbox(List<OutboxEvent> events) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO outbox (order_id, event) VALUES (?, ?)")) {
      for (OutboxEvent e : events) {
        ps.setLong(1, e.orderId());
        ps.setString(2, e.json());
        ps.addBatch();
      }
      int written = 0;
      for (int n : ps.executeBatch()) {
        written += Math.max(n, 0);
      }
      return written;
    }
  }

  private static Order read(ResultSet rs) throws SQLException {
    return new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4));
  }

  /** An event waiting to be written to the outbox. */
  record OutboxEvent(long orderId, String json) {}
}
