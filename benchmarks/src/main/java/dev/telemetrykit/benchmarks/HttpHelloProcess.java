package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpNames;
import dev.telemetrykit.http.HttpTelemetry;
import dev.telemetrykit.logging.LoggingModule;
import dev.telemetrykit.tracing.TracingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One hello-world server per JVM, so that the server's CPU can be read from
 * {@code /proc/<pid>/stat} per side. Driven by {@code benchmarks/wrk-cpu.sh} (and, as the
 * target of the client benchmark, by {@code benchmarks/client-cpu.sh}).
 *
 * <p>Modes, JDK {@code HttpServer} (4 workers): {@code bare} (no TelemetryKit), {@code kit}
 * (TelemetryKit started, no filter), {@code filter} (metrics + correlation IDs, no tracing),
 * {@code accesslog} (the filter plus the logging module and
 * {@code TELEMETRYKIT_HTTP_ACCESS_LOG=true}: one JSON line per request to stdout, which the
 * script sends to {@code /dev/null}), {@code tracing} (the filter plus the tracing module,
 * every request sampled and exported over OTLP/HTTP to {@code OTEL_EXPORTER_OTLP_ENDPOINT}).
 * Jetty 12 (ee10 servlet, default thread pool): {@code jetty-bare}, {@code jetty-filter}
 * (TelemetryKit's servlet filter, metrics + correlation IDs). And {@code sink}: an OTLP/HTTP
 * receiver that reads each export and answers 200, for the {@code tracing} mode.
 */
public final class HttpHelloProcess {

  static final byte[] HELLO = "hello world".getBytes(StandardCharsets.UTF_8);

  private HttpHelloProcess() {}

  /**
   * Starts the server.
   *
   * @param args port, mode, JDK server worker threads (default 4)
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "bare";
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    switch (mode) {
      case "bare", "kit", "filter", "accesslog", "tracing" -> jdk(port, mode, threads);
      case "jetty-bare", "jetty-filter" -> jetty(port, mode.equals("jetty-filter"));
      case "sink" -> sink(port);
      default -> throw new IllegalArgumentException("Unknown mode '" + mode + "': use bare, kit,"
          + " filter, accesslog, tracing, jetty-bare, jetty-filter or sink");
    }
    System.out.println("mode " + mode + " on " + port);
  }

  private static HttpTelemetry telemetry(String mode) {
    TelemetryKit.Builder b = TelemetryKit.builder().serviceName("hello").metricsPort(0)
        .registry(new PrometheusRegistry()).modules();
    if (mode.equals("accesslog")) {
      b.modules(new LoggingModule()).setting(HttpNames.SETTING_ACCESS_LOG, "true");
    } else if (mode.equals("tracing")) {
      b.modules(new TracingModule());
    }
    return HttpTelemetry.builder(b.start()).routes("/orders/{id}").build();
  }

  private static void jdk(int port, String mode, int threads) throws IOException {
    HttpTelemetry http = mode.equals("bare") ? null : telemetry(mode);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    HttpContext context = server.createContext("/", exchange -> reply(exchange, HELLO));
    if (!mode.equals("bare") && !mode.equals("kit")) {
      context.getFilters().add(http.jdkServerFilter());
    }
    server.start();
  }

  private static void reply(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void jetty(int port, boolean filter) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(1024);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    if (filter) {
      context.addFilter(new FilterHolder(telemetry("jetty-filter").servletFilter()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentLength(HELLO.length);
        resp.getOutputStream().write(HELLO);
      }
    }), "/*");
    jetty.setHandler(context);
    jetty.start();
  }

  /** An OTLP/HTTP receiver: reads the export, answers 200 with an empty (valid) response. */
  private static void sink(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      reply(exchange, new byte[0]);
    });
    server.start();
  }
}
