package dev.telemetrykit.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1: accepts {@code POST /v1/traces} with an
 * {@code application/x-protobuf} {@code ExportTraceServiceRequest}, decodes it with
 * opentelemetry-proto and keeps every span with its resource's service name.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span with the resource attributes it came with. */
  record Received(String serviceName, String serviceInstanceId, Span span) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    String attribute(String key) {
      for (KeyValue kv : span.getAttributesList()) {
        if (kv.getKey().equals(key)) {
          return render(kv.getValue());
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
    server.createContext("/v1/traces", this::handle);
    server.createContext("/v1/metrics", this::handleMetrics);
    server.setExecutor(executor);
    server.start();
  }

  /** On any free loopback port. */
  static OtlpReceiver start() throws IOException {
    return start(0);
  }

  /** On the given loopback port (e.g. one that refused connections a moment ago). */
  static OtlpReceiver start(int port) throws IOException {
    return new OtlpReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The base endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  List<Received> spans() {
    return new ArrayList<>(spans);
  }

  List<String> contentTypes() {
    return new ArrayList<>(contentTypes);
  }

  int requests() {
    return requests.get();
  }

  /** Waits (bounded: fails after 30 s) until at least {@code n} spans arrived. */
  List<Received> awaitSpans(int n) throws InterruptedException {
    for (int i = 0; i < 3000 && spans.size() < n; i++) {
      Thread.sleep(10);
    }
    if (spans.size() < n) {
      throw new AssertionError("Expected " + n + " spans, received " + spans.size());
    }
    return spans();
  }

  /** Every {@code POST /v1/metrics} received so far, decoded, in arrival order. */
  List<ExportMetricsServiceRequest> metricRequests() {
    return new ArrayList<>(metrics);
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      metrics.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
      byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        exchange.getResponseBody().write(response);
      }
    }
  }

  Received byName(String name) {
    return spans.stream().filter(r -> r.span().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("No span named " + name + " in " + spans));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
      for (ResourceSpans rs : request.getResourceSpansList()) {
        String service = null;
        String instance = null;
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          if (kv.getKey().equals("service.name")) {
            service = render(kv.getValue());
          } else if (kv.getKey().equals("service.instance.id")) {
            instance = render(kv.getValue());
          }
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            spans.add(new Received(service, instance, span));
          }
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        exchange.getResponseBody().write(response);
      }
    }
  }

  static String render(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      default:
        return value.toString();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
