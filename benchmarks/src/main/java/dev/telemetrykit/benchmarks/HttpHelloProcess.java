package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpNames;
import dev.telemetrykit.http.HttpTelemetry;
import dev.telemetrykit.logging.LoggingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * One hello-world JDK {@code HttpServer} per JVM, so that the server's CPU can be read from
 * {@code /proc/<pid>/stat} per side. Driven by {@code benchmarks/wrk-cpu.sh}.
 *
 * <p>Modes: {@code bare} (no TelemetryKit), {@code kit} (TelemetryKit started, no filter),
 * {@code filter} (metrics + correlation IDs, no tracing), {@code accesslog} (the filter plus
 * the logging module and {@code TELEMETRYKIT_HTTP_ACCESS_LOG=true}: one JSON line per request
 * to stdout, which the script sends to {@code /dev/null}).
 */
public final class HttpHelloProcess {

  private HttpHelloProcess() {}

  /**
   * Starts the server.
   *
   * @param args port, mode, worker threads (default 4)
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "bare";
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    HttpTelemetry http = null;
    if (!mode.equals("bare")) {
      TelemetryKit.Builder b = TelemetryKit.builder().serviceName("hello").metricsPort(0)
          .registry(new PrometheusRegistry()).modules();
      if (mode.equals("accesslog")) {
        b.modules(new LoggingModule()).setting(HttpNames.SETTING_ACCESS_LOG, "true");
      }
      TelemetryKit telemetry = b.start();
      http = HttpTelemetry.builder(telemetry).routes("/orders/{id}").build();
    }
    byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    HttpContext context = server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, hello.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(hello);
      }
    });
    if (mode.equals("filter") || mode.equals("accesslog")) {
      context.getFilters().add(http.jdkServerFilter());
    }
    server.start();
    System.out.println("mode " + mode + " on " + port);
  }
}
