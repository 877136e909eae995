package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.await;
import static dev.telemetrykit.http.Metrics.series;
import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The servlet filter inside a real embedded Jetty 12 (ee10), context path {@code /app}. */
class ServletFilterTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = Fixtures.sdk(spans);
  /** MDC correlation ID seen inside the servlet, by request URI. */
  private final Map<String, String> seenIds = new ConcurrentHashMap<>();
  /** MDC correlation ID seen by an outer filter right after ours returned, by request URI. */
  private final Map<String, String> afterIds = new ConcurrentHashMap<>();
  private final CountDownLatch releaseAsync = new CountDownLatch(1);
  private TelemetryKit kit;
  private Server jetty;
  private HttpClient client;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    kit = Fixtures.kit().start();
    // Echoing on (off by default), so the tests can read the ID back.
    HttpTelemetry http = HttpTelemetry.builder(kit).routes("/orders/{id}").openTelemetry(sdk)
        .echoCorrelationId(true)
        .build();
    jetty = new Server();
    ServerConnector connector = loopbackConnector(jetty);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/app");
    Filter outer = (req, res, chain) -> {
      try {
        chain.doFilter(req, res);
      } finally {
        String id = MDC.get(HttpNames.MDC_CORRELATION_ID);
        afterIds.put(((HttpServletRequest) req).getRequestURI(), id == null ? "(none)" : id);
      }
    };
    context.addFilter(new FilterHolder(outer), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(http.servletFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new OrdersServlet()), "/orders/*");
    context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
    context.addServlet(new ServletHolder(new AsyncServlet()), "/async/*");
    context.addServlet(new ServletHolder(new OrdersServlet()), "/");
    jetty.setHandler(context);
    jetty.start();
    port = connector.getLocalPort();
    client = http.wrap(HttpClient.newHttpClient());
  }

  @AfterEach
  void tearDown() throws Exception {
    releaseAsync.countDown();
    jetty.stop();
    kit.close();
    sdk.close();
  }

  private final class OrdersServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      seenIds.put(req.getRequestURI(), String.valueOf(MDC.get(HttpNames.MDC_CORRELATION_ID)));
      byte[] in = req.getInputStream().readAllBytes();
      byte[] body = ("seen " + in.length + " bytes").getBytes(StandardCharsets.UTF_8);
      resp.setStatus(req.getRequestURI().endsWith("/missing") ? 404 : 200);
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  private static final class FailingServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("application failure");
    }
  }

  private final class AsyncServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      if (req.getRequestURI().endsWith("/timeout")) {
        async.setTimeout(200); // never completed: the container times it out
        return;
      }
      async.setTimeout(30_000);
      String id = (String) req.getAttribute(HttpNames.CORRELATION_ID_ATTRIBUTE);
      Thread worker = new Thread(() -> {
        try {
          releaseAsync.await(30, TimeUnit.SECONDS);
          HttpServletResponse r = (HttpServletResponse) async.getResponse();
          r.setStatus(202);
          byte[] body = ("async " + id).getBytes(StandardCharsets.UTF_8);
          r.setContentLength(body.length);
          r.getOutputStream().write(body);
        } catch (Exception e) {
          throw new RuntimeException(e);
        } finally {
          async.complete();
        }
      });
      worker.start();
    }
  }

  /** A connector on a free loopback port, added to {@code jetty}. */
  private static ServerConnector loopbackConnector(Server jetty) {
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    return connector;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() {
    return Scrapes.text(kit.metricsPort());
  }

  @Test
  void usesTemplatesThenTheContainerMappingAndRecordsSizes() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/app/orders/1"))).statusCode()).isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(uri("/app/orders/2"))
        .POST(HttpRequest.BodyPublishers.ofString("0123456789"))).body())
        .isEqualTo("seen 10 bytes");
    assertThat(send(HttpRequest.newBuilder(uri("/app/orders/1/missing"))).statusCode())
        .isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(uri("/app/elsewhere/3"))).statusCode())
        .isEqualTo(200);

    await("4 requests recorded", () -> sum(scrape(), HttpNames.SERVER_DURATION + "_count") == 4);
    String s = scrape();
    String d = HttpNames.SERVER_DURATION + "_count";
    assertThat(sum(s, d, "http_route=/app/orders/{id}", "http_request_method=GET",
        "http_response_status_code=200", "error_type=")).isEqualTo(1);
    assertThat(sum(s, d, "http_route=/app/orders/{id}", "http_request_method=POST")).isEqualTo(1);
    assertThat(sum(s, d, "http_route=/app/orders/*", "http_response_status_code=404"))
        .isEqualTo(1);
    // The default servlet "/" says nothing about the route; templates exist, so _OTHER.
    assertThat(sum(s, d, "http_route=_OTHER")).isEqualTo(1);
    assertThat(sum(s, HttpNames.SERVER_REQUEST_BODY_SIZE + "_sum", "http_request_method=POST"))
        .isEqualTo(10);
    assertThat(sum(s, HttpNames.SERVER_RESPONSE_BODY_SIZE + "_sum", "http_request_method=POST"))
        .isEqualTo("seen 10 bytes".length());
    assertThat(sum(s, HttpNames.SERVER_ACTIVE)).isZero();

    Promtool.Result lint = Promtool.checkMetrics(s);
    assertThat(lint.output).as("promtool check metrics").isEmpty();
    assertThat(lint.exitCode).isZero();
  }

  @Test
  void byDefaultTheIdIsKeptButNotSentBack() throws Exception {
    HttpTelemetry quiet = HttpTelemetry.builder(kit).routes("/orders/{id}").build();
    Server second = new Server();
    ServerConnector connector = loopbackConnector(second);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/quiet");
    context.addFilter(new FilterHolder(quiet.servletFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new OrdersServlet()), "/orders/*");
    second.setHandler(context);
    second.start();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/quiet/orders/1"))
          .header("X-Request-ID", "caller-9").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
      assertThat(seenIds).containsEntry("/quiet/orders/1", "caller-9");
    } finally {
      second.stop();
    }
  }

  @Test
  void correlationIdIsEchoedInTheMdcDuringTheRequestAndClearedAfter() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/app/orders/1"))
        .header("X-Correlation-ID", "gw-7"));
    assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue("gw-7");
    assertThat(seenIds).containsEntry("/app/orders/1", "gw-7");
    await("filter returned", () -> afterIds.containsKey("/app/orders/1"));
    assertThat(afterIds).containsEntry("/app/orders/1", "(none)");

    r = send(HttpRequest.newBuilder(uri("/app/orders/2")).header("X-Request-ID", "bad value!"));
    String generated = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(generated).matches("[0-9a-f]{32}");
    assertThat(seenIds).containsEntry("/app/orders/2", generated);
  }

  @Test
  void exceptionsAreRecordedWithTheirClassAndRethrown() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/app/boom")));
    assertThat(r.statusCode()).isEqualTo(500);
    String s = scrape();
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count", "http_route=/app/boom",
        "http_response_status_code=500", "error_type=java.lang.IllegalStateException"))
        .isEqualTo(1);
    assertThat(sum(s, HttpNames.SERVER_ACTIVE)).isZero();
    await("filter returned", () -> afterIds.containsKey("/app/boom"));
    assertThat(afterIds).containsEntry("/app/boom", "(none)");
    SpanData server = spans.getFinishedSpanItems().stream()
        .filter(x -> x.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("GET /app/boom");
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(kit.instrumentationErrors().count("http-server")).isZero();
  }

  @Test
  void asyncRequestsAreRecordedWhenTheyCompleteOrTimeOut() throws Exception {
    var pending = client.sendAsync(HttpRequest.newBuilder(uri("/app/async/1"))
        .header("X-Request-ID", "async-1").build(), HttpResponse.BodyHandlers.ofString());
    await("async request in flight", () -> sum(scrape(), HttpNames.SERVER_ACTIVE) == 1);
    // The filter thread has returned; the MDC there is already clean.
    await("filter returned", () -> afterIds.containsKey("/app/async/1"));
    assertThat(afterIds).containsEntry("/app/async/1", "(none)");
    assertThat(series(scrape(), HttpNames.SERVER_DURATION + "_count")).isEmpty();
    releaseAsync.countDown();
    HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).isEqualTo("async async-1");
    await("async request recorded", () -> sum(scrape(), HttpNames.SERVER_DURATION + "_count",
        "http_route=/app/async/*", "http_response_status_code=202") == 1);

    HttpResponse<String> timedOut = send(HttpRequest.newBuilder(uri("/app/async/timeout")));
    assertThat(timedOut.statusCode()).isEqualTo(500);
    await("timed-out request recorded", () -> sum(scrape(),
        HttpNames.SERVER_DURATION + "_count", "http_route=/app/async/*",
        "http_response_status_code=500", "error_type=500") == 1);
    assertThat(sum(scrape(), HttpNames.SERVER_ACTIVE)).isZero();
  }

  @Test
  void clientSpanIsTheParentOfTheServletSpan() throws Exception {
    send(HttpRequest.newBuilder(uri("/app/orders/5")));
    await("2 spans", () -> spans.getFinishedSpanItems().size() == 2);
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData server = all.stream().filter(x -> x.getKind() == SpanKind.SERVER).findFirst()
        .orElseThrow();
    SpanData clientSpan = all.stream().filter(x -> x.getKind() == SpanKind.CLIENT).findFirst()
        .orElseThrow();
    assertThat(server.getTraceId()).isEqualTo(clientSpan.getTraceId());
    assertThat(server.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
    assertThat(server.getName()).isEqualTo("GET /app/orders/{id}");
    assertThat(server.getAttributes().get(AttributeKey.longKey("server.port")))
        .isEqualTo((long) port);
  }
}
