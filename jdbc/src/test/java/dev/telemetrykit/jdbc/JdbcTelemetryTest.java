package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.telemetrykit.core.TelemetryKit;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The DataSource wrapper on a real H2 database behind a real HikariCP pool. */
class JdbcTelemetryTest {

  private static final String CARD = "4111111111111111";
  private static final String HOLDER = "Jane Roe";

  private TelemetryKit telemetry;
  private HikariDataSource pool;
  private InMemorySpanExporter spans;
  private OpenTelemetrySdk otel;
  private ListAppender<ILoggingEvent> logs;
  private Logger slowLogger;
  private DataSource ds;

  @BeforeEach
  void setUp() throws SQLException {
    telemetry = Samples.startTelemetry();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName("h2-test");
    config.setMaximumPoolSize(2);
    config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
          + " customer VARCHAR(40), total DECIMAL(10, 2))");
      s.execute("CREATE TABLE cards (number VARCHAR(32) PRIMARY KEY, holder VARCHAR(40))");
      s.execute("CREATE ALIAS PAUSE_MS FOR \"" + H2Functions.class.getName() + ".pauseMillis\"");
    }
    spans = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    ds = JdbcTelemetry.builder(telemetry).name("orders-db").openTelemetry(otel)
        .slowOperationThreshold(Duration.ofMillis(40)).wrap(pool);
    slowLogger = (Logger) LoggerFactory.getLogger(SLOW_OPERATION_LOGGER);
    logs = new ListAppender<>();
    logs.start();
    slowLogger.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    slowLogger.detachAppender(logs);
    pool.close();
    otel.close();
    telemetry.close();
    GlobalOpenTelemetry.resetForTest();
  }

  private double operations(String scrape, String operation, String collection, String errorType) {
    return Samples.value(scrape, OPERATION_DURATION + "_count", DB_SYSTEM_NAME, "h2",
        DB_OPERATION_NAME, operation, DB_COLLECTION_NAME, collection, ERROR_TYPE, errorType);
  }

  @Test
  void recordsExactOperationCountsPerOperationAndCollection() throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO orders (customer, total) VALUES (?, ?)")) {
        for (int i = 0; i < 3; i++) {
          insert.setString(1, "c" + i);
          insert.setBigDecimal(2, java.math.BigDecimal.valueOf(10 + i));
          assertThat(insert.executeUpdate()).isEqualTo(1);
        }
      }
      try (PreparedStatement select = c.prepareStatement("SELECT total FROM orders WHERE id = ?")) {
        for (long id = 1; id <= 2; id++) {
          select.setLong(1, id);
          try (ResultSet rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
          }
        }
      }
      try (Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE orders SET total = total + 1")).isEqualTo(3);
        assertThat(s.execute("SELECT o.id FROM orders o JOIN cards k ON k.holder = o.customer"))
            .isTrue();
      }
    }

    String scrape = Samples.scrape(telemetry);
    assertThat(operations(scrape, "INSERT", "orders", "")).isEqualTo(3);
    assertThat(operations(scrape, "SELECT", "orders", "")).isEqualTo(2);
    assertThat(operations(scrape, "UPDATE", "orders", "")).isEqualTo(1);
    assertThat(operations(scrape, "SELECT", "", "")).isEqualTo(1);
    assertThat(Samples.lines(scrape, OPERATION_DURATION + "_count")).hasSize(4);
    assertThat(Samples.value(scrape, SLOW_OPERATIONS, DB_OPERATION_NAME, "INSERT")).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(7);
  }

  @Test
  void failingSqlIsRecordedWithItsSqlStateClassAndTheDriversExceptionIsThrown() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM missing_table"))
          .isInstanceOf(org.h2.jdbc.JdbcSQLSyntaxErrorException.class)
          .hasNoCause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("42"))
          .satisfies(e -> assertThat(e.getStackTrace()[0].getClassName()).startsWith("org.h2."));
      s.executeUpdate("INSERT INTO cards VALUES ('1', 'a')");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO cards VALUES ('1', 'b')"))
          .isInstanceOf(org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
      // H2 parses when preparing: a failed prepare is a failed operation too.
      assertThatThrownBy(() -> c.prepareStatement("DELETE FROM nowhere WHERE id = ?"))
          .isInstanceOf(org.h2.jdbc.JdbcSQLSyntaxErrorException.class);
    }

    String scrape = Samples.scrape(telemetry);
    assertThat(operations(scrape, "SELECT", "missing_table", "42")).isEqualTo(1);
    assertThat(operations(scrape, "INSERT", "cards", "23")).isEqualTo(1);
    assertThat(operations(scrape, "INSERT", "cards", "")).isEqualTo(1);
    assertThat(operations(scrape, "DELETE", "nowhere", "42")).isEqualTo(1);

    SpanData failed = spans.getFinishedSpanItems().stream()
        .filter(sp -> sp.getName().equals("INSERT cards") && sp.getStatus().getStatusCode() == StatusCode.ERROR)
        .findFirst().orElseThrow();
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("23");
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("db.response.status_code")))
        .isEqualTo("23505");
    assertThat(failed.getEvents()).isEmpty(); // the driver's message quotes the values
  }

  @Test
  void batchesRunUnchangedAndCountAsOneBatchOperation() throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders (customer) VALUES (?)")) {
        for (String customer : List.of("a", "b", "c")) {
          insert.setString(1, customer);
          insert.addBatch();
        }
        assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
      }
      try (Statement s = c.createStatement()) {
        s.addBatch("INSERT INTO orders (customer) VALUES ('d')");
        s.addBatch("UPDATE orders SET total = 1");
        assertThat(s.executeBatch()).containsExactly(1, 4);
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders WHERE total = 1")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(4);
        }
      }
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(operations(scrape, "BATCH INSERT", "orders", "")).isEqualTo(1);
    assertThat(operations(scrape, "BATCH", "", "")).isEqualTo(1);
    assertThat(operations(scrape, "INSERT", "orders", "")).isZero();
    SpanData batch = spans.getFinishedSpanItems().get(0);
    assertThat(batch.getName()).isEqualTo("BATCH INSERT orders");
    assertThat(batch.getAttributes().get(AttributeKey.longKey("db.operation.batch.size")))
        .isEqualTo(3L);
  }

  @Test
  void spansAreClientChildrenOfTheCurrentSpanWithSemconvAttributes() throws SQLException {
    Span parent = otel.getTracer("test").spanBuilder("GET /orders/{id}").startSpan();
    try (Scope ignored = parent.makeCurrent();
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM orders WHERE customer = 'x' AND id = ?")) {
      ps.setLong(1, 7);
      ps.executeQuery().close();
    } finally {
      parent.end();
    }
    SpanData db = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(db.getName()).isEqualTo("SELECT orders");
    assertThat(db.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(db.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
    assertThat(db.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("h2");
    assertThat(db.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
    assertThat(db.getAttributes().get(AttributeKey.stringKey("db.collection.name"))).isEqualTo("orders");
    assertThat(db.getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("SELECT * FROM orders WHERE customer = ? AND id = ?");
    assertThat(db.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void noLiteralOfAQueryAppearsInSpanAttributesOrLogs() throws SQLException {
    String insert = "INSERT INTO cards (number, holder) VALUES ('" + CARD + "', '" + HOLDER + "')";
    String slowSelect = "SELECT PAUSE_MS(60), holder FROM cards WHERE number = '" + CARD + "'";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(insert);
      s.executeQuery(slowSelect).close();
      s.executeQuery(slowSelect).close();
      // a failure whose driver message quotes the whole statement, card number included
      assertThatThrownBy(() -> s.executeUpdate(insert))
          .hasMessageContaining(CARD);
    }

    assertThat(spans.getFinishedSpanItems()).hasSize(4);
    for (SpanData span : spans.getFinishedSpanItems()) {
      assertThat(span.toString()).doesNotContain(CARD).doesNotContain(HOLDER);
    }
    assertThat(spans.getFinishedSpanItems().get(0).getAttributes()
        .get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("INSERT INTO cards (number, holder) VALUES (?, ?)");

    // Two slow runs of one statement: both counted, one WARN line.
    String scrape = Samples.scrape(telemetry);
    assertThat(Samples.value(scrape, SLOW_OPERATIONS, DB_OPERATION_NAME, "SELECT",
        DB_COLLECTION_NAME, "cards", ERROR_TYPE, "")).isEqualTo(2);
    assertThat(logs.list).hasSize(1);
    ILoggingEvent line = logs.list.get(0);
    assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
    assertThat(line.getFormattedMessage())
        .contains("orders-db")
        .contains("SELECT PAUSE_MS(?), holder FROM cards WHERE number = ?")
        .doesNotContain(CARD);
    assertThat(line.getKeyValuePairs().toString()).doesNotContain(CARD)
        .contains(LOG_QUERY_TEXT);
    assertThat(scrape).doesNotContain(CARD).doesNotContain(HOLDER);
  }

  @Test
  void unwrapTransactionsAndGeneratedKeysWorkAsWithoutTheWrapper() throws SQLException {
    assertThat(ds.isWrapperFor(HikariDataSource.class)).isTrue();
    assertThat(ds.unwrap(HikariDataSource.class)).isSameAs(pool);
    try (Connection c = ds.getConnection()) {
      assertThat(c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
      assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO orders (customer) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        assertThat(ps.getConnection()).isSameAs(c);
        assertThat(ps.unwrap(PreparedStatement.class)).isSameAs(ps);
        ps.setString(1, "rolled back");
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.next()).isTrue();
          assertThat(keys.getLong(1)).isPositive();
        }
      }
      c.rollback();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      c.setAutoCommit(true);
    }
    assertThat(operations(Samples.scrape(telemetry), "INSERT", "orders", "")).isEqualTo(1);
  }

  @Test
  void callableStatementsAreRecorded() throws SQLException {
    try (Connection c = ds.getConnection();
        java.sql.CallableStatement call = c.prepareCall("{call PAUSE_MS(?)}")) {
      call.setInt(1, 1);
      assertThat(call.execute()).isTrue();
      assertThat(call.unwrap(java.sql.CallableStatement.class)).isSameAs(call);
    }
    assertThat(operations(Samples.scrape(telemetry), "CALL", "", "")).isEqualTo(1);
  }

  @Test
  void promtoolFindsNothingInARealScrapeButTheAcceptedSemconvCountName() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT * FROM orders").close();
      s.executeQuery("SELECT PAUSE_MS(50)").close();
      assertThatThrownBy(() -> s.execute("SELEC 1")).isInstanceOf(SQLException.class);
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(scrape).contains(OPERATION_DURATION, SLOW_OPERATIONS, CONNECTION_COUNT,
        CONNECTION_MAX, CONNECTION_IDLE_MAX, CONNECTION_IDLE_MIN, CONNECTION_PENDING_REQUESTS,
        CONNECTION_CREATE_TIME, CONNECTION_WAIT_TIME, CONNECTION_USE_TIME);
    PromtoolCheck.assertClean(scrape);
  }

  @Test
  void withoutAnExplicitOpenTelemetryTheGlobalOneIsUsedOnceSet() throws SQLException {
    DataSource lazy = JdbcTelemetry.wrap(pool, telemetry); // before any global is set
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    try (Connection c = lazy.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1").close();
      assertThat(GlobalOpenTelemetry.isSet()).as("wrapping must not install a no-op global").isFalse();
      GlobalOpenTelemetry.set(otel);
    }
    // The global is looked up at most once a second while unset; wait for the next look-up.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (spans.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      try (Connection c = lazy.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT 2").close();
      }
      sleep(50);
    }
    assertThat(spans.getFinishedSpanItems()).isNotEmpty();
    assertThat(spans.getFinishedSpanItems().get(0).getName()).isEqualTo("SELECT h2");
  }

  @Test
  void wrappingTwiceReturnsTheSameWrapper() {
    assertThat(JdbcTelemetry.wrap(ds, telemetry)).isSameAs(ds);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
