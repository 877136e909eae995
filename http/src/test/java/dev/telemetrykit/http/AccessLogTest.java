package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class AccessLogTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = Fixtures.sdk(spans);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger(HttpNames.ACCESS_LOGGER);
  private TelemetryKit kit;
  private HttpServer server;
  private Server jetty;

  @BeforeEach
  void attach() {
    lines.start();
    accessLogger.addAppender(lines);
  }

  @AfterEach
  void tearDown() throws Exception {
    accessLogger.detachAppender(lines);
    if (server != null) {
      server.stop(0);
    }
    if (jetty != null) {
      jetty.stop();
    }
    worker.shutdownNow();
    if (kit != null) {
      kit.close();
    }
    sdk.close();
  }

  private HttpTelemetry http(Map<String, String> settings) {
    TelemetryKit.Builder b = Fixtures.kit();
    settings.forEach(b::setting);
    kit = b.start();
    return HttpTelemetry.builder(kit).routes("/orders/{id}").openTelemetry(sdk).build();
  }

  private int jdkServer(HttpTelemetry http) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(worker);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      int status = path.endsWith("/500") ? 500 : 200;
      byte[] body = ("hello " + path).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, path.contains("chunked") ? 0 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }).getFilters().add(http.jdkServerFilter());
    server.start();
    return server.getAddress().getPort();
  }

  private static HttpResponse<String> get(int port, String path, String requestId)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("User-Agent", "access-test/1.0");
    if (requestId != null) {
      b.header("X-Request-ID", requestId);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    Map<String, Object> m = new HashMap<>();
    List<KeyValuePair> kvs = e.getKeyValuePairs();
    if (kvs != null) {
      for (KeyValuePair kv : kvs) {
        m.put(kv.key, kv.value);
      }
    }
    return m;
  }

  /** The one finished span, waiting (bounded) for the server thread to end it. */
  private SpanData awaitSpan() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (spans.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  /** The filter logs after the response went out, so wait for it (bounded). */
  private List<ILoggingEvent> awaitLines(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines.list.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return lines.list;
  }

  @Test
  void offByDefault() throws Exception {
    int port = jdkServer(http(Map.of()));
    get(port, "/orders/1", null);
    Thread.sleep(200);
    assertThat(lines.list).isEmpty();
  }

  @Test
  void jdkFilterWritesOneLinePerRequestWithTheCorrelationId() throws Exception {
    int port = jdkServer(http(Map.of(HttpNames.SETTING_ACCESS_LOG, "true")));
    HttpResponse<String> r = get(port, "/orders/7", "abc-123");
    assertThat(r.statusCode()).isEqualTo(200);
    List<ILoggingEvent> got = awaitLines(1);
    assertThat(got).hasSize(1);
    Map<String, Object> f = fields(got.get(0));
    assertThat(f).containsEntry("http_method", "GET").containsEntry("http_route", "/orders/{id}")
        .containsEntry("http_status", 200).containsEntry("correlation_id", "abc-123")
        .containsEntry("response_bytes", (long) r.body().length())
        .containsEntry("client_address", "127.0.0.1")
        .containsEntry("user_agent", "access-test/1.0").containsEntry("error_type", null);
    // The server thread ends the span after the access line is written: wait for it too.
    SpanData span = awaitSpan();
    assertThat(f.get("trace_id")).isEqualTo(span.getTraceId());
    assertThat(f.get("span_id")).isEqualTo(span.getSpanId());
    assertThat((Double) f.get("duration_ms")).isGreaterThanOrEqualTo(0.0);
    assertThat(got.get(0).getLoggerName()).isEqualTo("telemetrykit.http.access");
  }

  @Test
  void chunkedResponseSizeIsTheBytesWritten() throws Exception {
    int port = jdkServer(http(Map.of(HttpNames.SETTING_ACCESS_LOG, "true")));
    HttpResponse<String> r = get(port, "/chunked", null);
    Map<String, Object> f = fields(awaitLines(1).get(0));
    assertThat(f).containsEntry("response_bytes", (long) r.body().length());
    assertThat((String) f.get("correlation_id")).hasSize(32);
  }

  @Test
  void slowThresholdKeepsOnlyErrorsAndSlowRequests() throws Exception {
    int port = jdkServer(http(Map.of(HttpNames.SETTING_ACCESS_LOG, "true",
        HttpNames.SETTING_ACCESS_LOG_SLOW, "10s")));
    get(port, "/orders/1", null);
    get(port, "/orders/500", null);
    List<ILoggingEvent> got = awaitLines(1);
    Thread.sleep(200);
    assertThat(got).hasSize(1);
    assertThat(fields(got.get(0))).containsEntry("http_status", 500)
        .containsEntry("http_route", "/orders/{id}");
  }

  @Test
  void invalidSettingsFailWithTheStandardMessage() {
    assertThatThrownBy(() -> http(Map.of(HttpNames.SETTING_ACCESS_LOG, "yes please")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting " + HttpNames.SETTING_ACCESS_LOG)
        .hasMessageContaining("value 'yes please' is not allowed");
    kit.close();
    kit = null;
    assertThatThrownBy(() -> http(Map.of(HttpNames.SETTING_ACCESS_LOG_SLOW, "fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting " + HttpNames.SETTING_ACCESS_LOG_SLOW);
  }

  @Test
  void servletFilterWritesOneLinePerRequest() throws Exception {
    HttpTelemetry http = http(Map.of(HttpNames.SETTING_ACCESS_LOG, "true"));
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(http.servletFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(404);
        resp.getWriter().write("nope");
      }
    }), "/*");
    jetty.setHandler(context);
    jetty.start();
    get(connector.getLocalPort(), "/orders/9", "servlet-id-1");
    Map<String, Object> f = fields(awaitLines(1).get(0));
    assertThat(f).containsEntry("http_method", "GET").containsEntry("http_route", "/orders/{id}")
        .containsEntry("http_status", 404).containsEntry("correlation_id", "servlet-id-1")
        .containsEntry("user_agent", "access-test/1.0")
        .containsEntry("client_address", "127.0.0.1");
    assertThat(f.get("trace_id")).isNotNull();
  }

}
