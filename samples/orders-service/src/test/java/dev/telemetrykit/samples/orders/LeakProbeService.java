package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.http.HttpTelemetry;
import dev.telemetrykit.jdbc.JdbcTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Test only: the orders service exactly as {@link OrdersService#main} starts it, plus one
 * endpoint, {@code POST /probe/{anything}} on {@code PROBE_PORT}, that hands the caller's
 * {@code note} to every place user code can put text: an MDC entry, attributes of a span it
 * starts, literals and a comment of SQL run through the jdbc module (one statement fails, so
 * the driver's error message, which quotes the SQL, travels too), a custom metric's label
 * value, an exception recorded on the span, the span status, and log arguments. Run as a
 * child JVM by {@link AllSignalsLeakPropertyTest}.
 */
final class LeakProbeService {

  private static final Logger LOG = LoggerFactory.getLogger(LeakProbeService.class);

  private LeakProbeService() {}

  public static void main(String[] args) throws Exception {
    OrdersService.main(args);
    TelemetryKit telemetry = TelemetryKit.current().orElseThrow();

    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1");
    // Every statement is "slow", so the jdbc module's slow-query log line carries SQL text.
    DataSource db = JdbcTelemetry.builder(telemetry).name("probe-db")
        .slowOperationThreshold(Duration.ZERO).wrap(h2);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(2000))");
    }
    GuardedCounter notes = telemetry.meters().counter("probe_notes_total")
        .help("Notes received by the leak probe").labelNames("note").register();

    HttpTelemetry http = HttpTelemetry.builder(telemetry).routes("/probe/{id}").build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
        Integer.parseInt(System.getenv("PROBE_PORT"))), 0);
    server.createContext("/probe", exchange -> probe(exchange, db, notes))
        .getFilters().add(http.jdkServerFilter());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "probe-shutdown"));
    LOG.info("leak probe listening on port {}", server.getAddress().getPort());
  }

  private static void probe(HttpExchange exchange, DataSource db, GuardedCounter notes)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        Http.respond(exchange, 405, Json.error("use POST"));
        return;
      }
      JsonNode body = Json.parseObject(exchange.getRequestBody());
      String note = body.path("note").asText();
      String probeTry = body.path("try").asText();
      MDC.put("tenant", "tenant " + note);
      MDC.put("probe_try", probeTry);
      Span span = GlobalOpenTelemetry.getTracer("leak-probe").spanBuilder("probe note")
          .startSpan();
      try (Scope ignored = span.makeCurrent()) {
        span.setAttribute("probe.try", probeTry);
        span.setAttribute("probe.note", "note " + note);
        span.setAttribute("app.session_token", note);
        String literal = "'" + note.replace("'", "''") + "'";
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO notes (note) VALUES (" + literal + ")");
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes WHERE note = " + literal
              + " /* note " + note + " */")) {
            rs.next();
          }
          try {
            s.executeQuery("SELECT note FROM notes_archive WHERE note = " + literal);
          } catch (SQLException expected) {
            LOG.warn("probe {} archive lookup failed for note {}", probeTry, note, expected);
          }
        } catch (SQLException e) {
          throw new IOException(e);
        }
        notes.labelValues("note " + note).inc();
        span.recordException(new IllegalStateException("rejected note " + note));
        span.setStatus(StatusCode.ERROR, "rejected note " + note);
        LOG.info("probe {} stored note {}", probeTry, note);
      } finally {
        span.end();
        MDC.remove("tenant");
        MDC.remove("probe_try");
      }
      Http.respond(exchange, 200, "{\"ok\":true}");
    }
  }
}
