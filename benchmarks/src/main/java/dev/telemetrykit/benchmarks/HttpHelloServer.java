package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Hello-world JDK {@code HttpServer}s on loopback for the wrk comparison: one without and one
 * with the TelemetryKit filter, same handler, same executor size, in one JVM.
 *
 * <pre>{@code
 * java -Dsun.net.httpserver.nodelay=true -cp benchmarks/target/benchmarks.jar \
 *     dev.telemetrykit.benchmarks.HttpHelloServer 18080 18081
 * wrk -t2 -c16 -d30s http://127.0.0.1:18080/orders/1   # plain
 * wrk -t2 -c16 -d30s http://127.0.0.1:18081/orders/1   # with the filter
 * }</pre>
 */
public final class HttpHelloServer {

  private HttpHelloServer() {}

  public static void main(String[] args) throws Exception {
    int plainPort = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    int filteredPort = args.length > 1 ? Integer.parseInt(args[1]) : 18081;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    // No modules: metrics, correlation IDs and the filter itself, without span export.
    TelemetryKit telemetry = TelemetryKit.builder().serviceName("hello").metricsPort(0)
        .registry(new PrometheusRegistry()).modules().start();
    HttpTelemetry http = HttpTelemetry.builder(telemetry).routes("/orders/{id}").build();
    byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
    for (int port : new int[] {plainPort, filteredPort}) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
      server.setExecutor(Executors.newFixedThreadPool(threads));
      HttpContext context = server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, hello.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(hello);
        }
      });
      if (port == filteredPort) {
        context.getFilters().add(http.jdkServerFilter());
      }
      server.start();
    }
    System.out.println("plain on " + plainPort + ", filtered on " + filteredPort
        + ", metrics on " + telemetry.metricsPort());
  }
}
