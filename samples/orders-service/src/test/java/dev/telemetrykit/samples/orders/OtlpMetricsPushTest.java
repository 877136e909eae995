package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance from outside: the sample, started as a user would with
 * {@code OTEL_METRICS_EXPORTER=otlp} and an endpoint, pushes its HTTP server histogram with
 * non-zero counts to a real OTLP/HTTP receiver on loopback.
 */
class OtlpMetricsPushTest {

  @Test
  void theSamplePushesItsHttpServerHistogramOverOtlp(@TempDir Path dir) throws Exception {
    List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/metrics", exchange -> {
      try (exchange) {
        InputStream body = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(body);
        }
        received.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    receiver.start();
    try (ServiceProcess service = ServiceProcess.start(dir, Map.of(
        "OTEL_SERVICE_NAME", "orders-service",
        "OTEL_METRICS_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/metrics",
        "OTEL_METRIC_EXPORT_INTERVAL", "500"))) {
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 5; i++) {
        client.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + service.httpPort + "/orders/" + (1000 + i))).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      long count = 0;
      String serviceName = null;
      for (int i = 0; i < 600 && count < 5; i++) {   // bounded: 60 s
        Thread.sleep(100);
        for (ExportMetricsServiceRequest r : received) {
          for (ResourceMetrics rm : r.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
              for (Metric m : sm.getMetricsList()) {
                if (m.getName().equals("http_server_request_duration_seconds")) {
                  long c = 0;
                  for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    c += p.getCount();
                  }
                  if (c > count) {
                    count = c;
                    for (KeyValue kv : rm.getResource().getAttributesList()) {
                      if (kv.getKey().equals("service.name")) {
                        serviceName = kv.getValue().getStringValue();
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      assertThat(count).as("pushed http_server_request_duration_seconds count\n"
          + service.output()).isGreaterThanOrEqualTo(5);
      assertThat(serviceName).isEqualTo("orders-service");
    } finally {
      receiver.stop(0);
    }
  }
}
