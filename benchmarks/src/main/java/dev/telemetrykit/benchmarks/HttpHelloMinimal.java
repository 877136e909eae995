package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Issue 16's hello-world server exactly as its text sets it up: only core and http (and what
 * they need) on the class path, so no SLF4J provider (the MDC is SLF4J's no-op one) and no
 * tracing module. {@link HttpHelloProcess} is the same server in the shaded benchmarks jar,
 * where Logback is present. Modes: {@code bare}, {@code kit} (started, no filter), {@code
 * filter}. Run it through {@code benchmarks/wrk-cpu.sh} with {@code SERVER_CP} and
 * {@code SERVER_MAIN} set (see docs/benchmarks.md).
 */
public final class HttpHelloMinimal {

  private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

  private HttpHelloMinimal() {}

  /**
   * {@code HttpHelloMinimal <port> <bare|kit|filter|both>}. {@code both} serves the same
   * handler three times in one process: under {@code /orders} through the filter, under
   * {@code /quiet} through a filter that echoes no correlation header, under any other path
   * without a filter, so wrk can compare two of them in one JVM ({@code SAME_JVM=1} in
   * {@code wrk-cpu.sh}), with no difference of JIT layout or heap between the sides.
   */
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "bare";
    if (!mode.equals("bare") && !mode.equals("kit") && !mode.equals("filter")
        && !mode.equals("both")) {
      throw new IllegalArgumentException(
          "Unknown mode '" + mode + "': use bare, kit, filter or both");
    }
    TelemetryKit telemetry = mode.equals("bare") ? null : TelemetryKit.builder()
        .serviceName("hello").metricsPort(0).registry(new PrometheusRegistry()).modules().start();
    HttpTelemetry http = telemetry == null ? null
        : HttpTelemetry.builder(telemetry).routes("/orders/{id}").build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(4));
    HttpHandler hello = exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, HELLO.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(HELLO);
      }
    };
    HttpContext context = server.createContext("/", hello);
    if (mode.equals("filter")) {
      context.getFilters().add(http.jdkServerFilter());
    } else if (mode.equals("both")) {
      server.createContext("/orders", hello).getFilters().add(http.jdkServerFilter());
      // The same filter without the echoed correlation header, for its cost alone.
      server.createContext("/quiet", hello).getFilters().add(HttpTelemetry.builder(telemetry)
          .routes("/quiet/{id}").echoCorrelationId(false).build().jdkServerFilter());
    }
    server.start();
    System.out.println("mode " + mode + " on " + port);
  }
}
