package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.HttpContext;
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

  /** {@code HttpHelloMinimal <port> <bare|kit|filter>}. */
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "bare";
    if (!mode.equals("bare") && !mode.equals("kit") && !mode.equals("filter")) {
      throw new IllegalArgumentException("Unknown mode '" + mode + "': use bare, kit or filter");
    }
    HttpTelemetry http = mode.equals("bare") ? null : HttpTelemetry.builder(
        TelemetryKit.builder().serviceName("hello").metricsPort(0)
            .registry(new PrometheusRegistry()).modules().start())
        .routes("/orders/{id}").build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(4));
    HttpContext context = server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, HELLO.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(HELLO);
      }
    });
    if (mode.equals("filter")) {
      context.getFilters().add(http.jdkServerFilter());
    }
    server.start();
    System.out.println("mode " + mode + " on " + port);
  }
}
