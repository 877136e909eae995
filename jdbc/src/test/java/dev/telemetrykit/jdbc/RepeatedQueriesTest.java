package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.UnitOfWork;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** N+1 detection on a real H2 database: counter, one WARN line per unit, span events. */
class RepeatedQueriesTest {

  private TelemetryKit telemetry;
  private InMemorySpanExporter spans;
  private OpenTelemetrySdk otel;
  private ListAppender<ILoggingEvent> logs;
  private Logger logger;
  private DataSource ds;

  @BeforeEach
  void setUp() throws SQLException {
    telemetry = Samples.startTelemetry(REPEAT_THRESHOLD_SETTING, "5");
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40))");
      s.execute("CREATE TABLE order_items (order_id BIGINT, sku VARCHAR(20))");
      for (int i = 1; i <= 20; i++) {
        s.execute("INSERT INTO orders VALUES (" + i + ", 'c" + i + "')");
        s.execute("INSERT INTO order_items VALUES (" + i + ", 'sku-" + i + "')");
      }
    }
    spans = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    ds = JdbcTelemetry.builder(telemetry).name("orders-db").openTelemetry(otel).wrap(h2);
    logger = (Logger) LoggerFactory.getLogger(REPEATED_QUERIES_LOGGER);
    logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logs);
    otel.close();
    telemetry.close();
  }

  private double repeated(String scrape, String operation, String collection) {
    return Samples.value(scrape, REPEATED_QUERIES, DB_SYSTEM_NAME, "h2",
        DB_OPERATION_NAME, operation, DB_COLLECTION_NAME, collection);
  }

  /** The N+1 pattern: one listing query, then one query per order. */
  private void listOrdersOneByOne(int orders) throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM orders ORDER BY id")) {
        while (rs.next()) {
          // just the listing
        }
      }
      for (int id = 1; id <= orders; id++) {
        try (PreparedStatement ps =
            c.prepareStatement("SELECT sku FROM order_items WHERE order_id = ?")) {
          ps.setLong(1, id);
          ps.executeQuery().close();
        }
      }
    }
  }

  @Test
  void wrappingADataSourceAsksTheServerFiltersForAUnitPerRequest() {
    // setUp wrapped one; the http module's filters open units only once this is set.
    assertThat(UnitOfWork.enabledForRequests()).isTrue();
  }

  @Test
  void aStatementRepeatedInOneUnitIsCountedOnceLoggedOnceAndAddedToTheSpan() throws Exception {
    Span request = otel.getTracer("test").spanBuilder("GET /orders").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      try (UnitOfWork.Scope unit = UnitOfWork.open("GET /orders")) {
        listOrdersOneByOne(12);
      }
    } finally {
      request.end();
    }
    String scrape = Samples.scrape(telemetry);
    assertThat(repeated(scrape, "SELECT", "order_items")).isEqualTo(1);
    assertThat(repeated(scrape, "SELECT", "orders")).isZero();

    assertThat(logs.list).hasSize(1);
    ILoggingEvent line = logs.list.get(0);
    assertThat(line.getLevel().toString()).isEqualTo("WARN");
    assertThat(line.getFormattedMessage())
        .contains("'GET /orders'")
        .contains("12 x SELECT sku FROM order_items WHERE order_id = ?")
        .doesNotContain("FROM orders ORDER");
    assertThat(line.getKeyValuePairs()).anySatisfy(kv -> {
      assertThat(kv.key).isEqualTo(LOG_REPEAT_COUNT);
      assertThat(kv.value).isEqualTo(12);
    });

    SpanData server = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("GET /orders")).findFirst().orElseThrow();
    List<EventData> events = server.getEvents();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getName()).isEqualTo("db.repeated_query");
    assertThat(events.get(0).getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("SELECT sku FROM order_items WHERE order_id = ?");
    assertThat(events.get(0).getAttributes().get(AttributeKey.longKey("db.repeat.count")))
        .isEqualTo(12L);
  }

  @Test
  void inlineLiteralsCountAsOneStatementAndEachUnitCountsAgain() throws Exception {
    for (int unitNo = 0; unitNo < 3; unitNo++) {
      try (UnitOfWork.Scope unit = UnitOfWork.open("job");
          Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        for (int id = 1; id <= 6; id++) {
          s.executeQuery("SELECT customer FROM orders WHERE id = " + id).close();
        }
      }
    }
    assertThat(repeated(Samples.scrape(telemetry), "SELECT", "orders")).isEqualTo(3);
    assertThat(logs.list).hasSize(3);
    assertThat(logs.list.get(0).getFormattedMessage())
        .contains("6 x SELECT customer FROM orders WHERE id = ?");
  }

  @Test
  void belowTheThresholdOutsideAUnitAndAfterItNothingIsReported() throws Exception {
    try (UnitOfWork.Scope unit = UnitOfWork.open("few")) {
      listOrdersOneByOne(4); // 4 < 5
    }
    listOrdersOneByOne(20); // no unit open
    assertThat(UnitOfWork.current()).isNull();
    assertThat(repeated(Samples.scrape(telemetry), "SELECT", "order_items")).isZero();
    assertThat(logs.list).isEmpty();
  }

  @Test
  void nestedUnitsReportOnceForTheOuterUnit() throws Exception {
    try (UnitOfWork.Scope outer = UnitOfWork.open("outer")) {
      for (int i = 0; i < 2; i++) {
        try (UnitOfWork.Scope inner = UnitOfWork.open("inner")) {
          listOrdersOneByOne(3);
        }
      }
      assertThat(logs.list).isEmpty();
    }
    assertThat(repeated(Samples.scrape(telemetry), "SELECT", "order_items")).isEqualTo(1);
    assertThat(logs.list).hasSize(1);
    assertThat(logs.list.get(0).getFormattedMessage()).contains("'outer'").contains("6 x ");
  }

  @Test
  void batchesAreTheFixNotARepeat() throws Exception {
    try (UnitOfWork.Scope unit = UnitOfWork.open("batch");
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO order_items VALUES (?, ?)")) {
      for (int b = 0; b < 6; b++) {
        for (int row = 0; row < 2; row++) {
          ps.setLong(1, 100 + b);
          ps.setString(2, "x" + row);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    assertThat(Samples.scrape(telemetry)).doesNotContain(REPEATED_QUERIES + "{");
    assertThat(logs.list).isEmpty();
  }

  @Test
  void distinctStatementsPerUnitAreCapped() throws Exception {
    try (UnitOfWork.Scope unit = UnitOfWork.open("many");
        Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (int i = 0; i < UnitOfWork.MAX_KEYS + 10; i++) {
        s.executeQuery("SELECT " + i + " AS c" + i + " FROM orders WHERE id = 1").close();
      }
      assertThat(UnitOfWork.current().size()).isEqualTo(UnitOfWork.MAX_KEYS);
      assertThat(UnitOfWork.current().overflowed()).isTrue();
    }
    assertThat(UnitOfWork.current()).isNull();
  }

  @Test
  void anInvalidThresholdFailsWrappingWithTheStandardMessage() {
    assertThatThrownBy(() -> JdbcTelemetry.builder(telemetry).repeatedQueryThreshold(1))
        .isInstanceOf(IllegalArgumentException.class);
    telemetry.close();
    try (TelemetryKit bad = Samples.startTelemetry(REPEAT_THRESHOLD_SETTING, "1")) {
      assertThatThrownBy(() -> JdbcTelemetry.wrap(new JdbcDataSource(), bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid setting " + REPEAT_THRESHOLD_SETTING)
          .hasMessageContaining("'1'");
    }
    try (TelemetryKit bad = Samples.startTelemetry(REPEAT_THRESHOLD_SETTING, "ten")) {
      assertThatThrownBy(() -> JdbcTelemetry.wrap(new JdbcDataSource(), bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ten'");
    }
  }
}
