package dev.telemetrykit.samples.hello;

import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The smallest TelemetryKit service: {@code GET /hello} on port 8080 ({@code HELLO_PORT}),
 * metrics on 9464 ({@code OTEL_EXPORTER_PROMETHEUS_PORT}).
 *
 * <pre>{@code
 * java -jar samples/hello/target/hello.jar
 * curl localhost:8080/hello; curl localhost:9464/metrics
 * }</pre>
 */
public final class HelloService {

  private HelloService() {}

  /** Starts the service; stops on Ctrl-C (TelemetryKit's shutdown hook closes it). */
  public static void main(String[] args) throws Exception {
    TelemetryKit telemetry = TelemetryKit.start("hello-service");

    GuardedCounter greetings = telemetry.meters().counter("hello_greetings_total")
        .help("Greetings served").register();
    CounterDataPoint served = greetings.labelValues();

    int port = Integer.parseInt(System.getenv().getOrDefault("HELLO_PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/hello", exchange -> {
      byte[] body = "Hello from TelemetryKit\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      served.inc();
    });
    server.start();
    System.out.println("hello-service on http://localhost:" + server.getAddress().getPort()
        + "/hello, metrics on http://localhost:" + telemetry.metricsPort() + "/metrics");
  }
}
