package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.telemetrykit.core.TelemetryKit;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/** The wrapper and the HikariCP tracker against a real PostgreSQL server (started per class). */
class PostgresqlTest {

  @RegisterExtension
  static final PostgresServer POSTGRES = new PostgresServer();

  @Test
  void recordsOperationsErrorsSpansAndPoolMetricsOnPostgresql() throws SQLException {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(POSTGRES.jdbcUrl());
    config.setUsername("postgres");
    config.setPoolName("pg-orders");
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(1);
    try (TelemetryKit telemetry = Samples.startTelemetry();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider
            .builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build()) {
      config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
      try (HikariDataSource pool = new HikariDataSource(config)) {
        DataSource ds = JdbcTelemetry.builder(telemetry).name("pg").openTelemetry(otel).wrap(pool);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, customer TEXT UNIQUE, total NUMERIC)");
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO orders (customer, total) VALUES (?, ?)")) {
            for (String customer : new String[] {"ada", "bob"}) {
              insert.setString(1, customer);
              insert.setInt(2, 10);
              insert.executeUpdate();
            }
            insert.setString(1, "cy");
            insert.setInt(2, 1);
            insert.addBatch();
            insert.setString(1, "dee");
            insert.setInt(2, 1);
            insert.addBatch();
            assertThat(insert.executeBatch()).hasSize(2);
            insert.setString(1, "ada");
            insert.setInt(2, 99);
            assertThatThrownBy(insert::executeUpdate).isInstanceOf(PSQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
          }
          try (PreparedStatement select = c.prepareStatement(
              "SELECT total FROM orders WHERE customer = $$bob$$ OR id = ?")) {
            select.setLong(1, 1);
            try (ResultSet rs = select.executeQuery()) {
              assertThat(rs.next()).isTrue();
            }
          }
          assertThatThrownBy(() -> s.executeQuery("SELECT * FROM missing_table"))
              .isInstanceOf(PSQLException.class)
              .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
        }

        String scrape = Samples.scrape(telemetry);
        assertThat(count(scrape, "INSERT", "orders", "")).isEqualTo(2);
        assertThat(count(scrape, "INSERT", "orders", "23")).isEqualTo(1);
        assertThat(count(scrape, "BATCH INSERT", "orders", "")).isEqualTo(1);
        assertThat(count(scrape, "SELECT", "orders", "")).isEqualTo(1);
        assertThat(count(scrape, "SELECT", "missing_table", "42")).isEqualTo(1);
        assertThat(count(scrape, "CREATE", "orders", "")).isEqualTo(1);

        assertThat(Samples.value(scrape, CONNECTION_MAX, POOL_NAME, "pg-orders")).isEqualTo(3);
        assertThat(Samples.value(scrape, CONNECTION_IDLE_MIN, POOL_NAME, "pg-orders")).isEqualTo(1);
        assertThat(Samples.lines(scrape, CONNECTION_COUNT, POOL_NAME, "pg-orders")).hasSize(2);
        assertThat(Samples.value(scrape, CONNECTION_WAIT_TIME + "_count", POOL_NAME, "pg-orders"))
            .isGreaterThanOrEqualTo(1);
        PromtoolCheck.assertClean(scrape);

        SpanData select = spans.getFinishedSpanItems().stream()
            .filter(sp -> sp.getName().equals("SELECT orders")).findFirst().orElseThrow();
        assertThat(select.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
        assertThat(select.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
        assertThat(select.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) POSTGRES.port());
        assertThat(select.getAttributes().get(AttributeKey.stringKey("db.query.text")))
            .isEqualTo("SELECT total FROM orders WHERE customer = ? OR id = ?");
        SpanData missing = spans.getFinishedSpanItems().stream()
            .filter(sp -> sp.getName().equals("SELECT missing_table")).findFirst().orElseThrow();
        assertThat(missing.getAttributes().get(AttributeKey.stringKey("db.response.status_code"))).isEqualTo("42P01");
      }
    }
  }

  private static double count(String scrape, String operation, String collection, String errorType) {
    return Samples.value(scrape, OPERATION_DURATION + "_count", DB_SYSTEM_NAME, "postgresql",
        DB_OPERATION_NAME, operation, DB_COLLECTION_NAME, collection, ERROR_TYPE, errorType);
  }
}
