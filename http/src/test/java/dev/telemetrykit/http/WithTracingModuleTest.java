package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.tracing.TracingModule;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The real tracing module: it sets GlobalOpenTelemetry at start, which this module picks up. */
class WithTracingModuleTest {

  @Test
  void serverSpanContinuesTheClientTraceThroughTheGlobalOpenTelemetry() throws Exception {
    AtomicReference<SpanContext> inHandler = new AtomicReference<>();
    AtomicReference<String> traceparent = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (TelemetryKit kit = Fixtures.kit().modules(new TracingModule()).start()) {
      assertThat(GlobalOpenTelemetry.isSet()).isTrue();
      HttpTelemetry http = HttpTelemetry.builder(kit).routes("/orders/{id}").build();
      server.createContext("/", exchange -> {
        inHandler.set(Span.current().getSpanContext());
        traceparent.set(exchange.getRequestHeaders().getFirst("traceparent"));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      }).getFilters().add(http.jdkServerFilter());
      server.start();
      HttpClient client = http.wrap(HttpClient.newHttpClient());
      HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/orders/1")).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).isEqualTo(204);

      SpanContext server1 = inHandler.get();
      assertThat(server1.isValid()).isTrue();
      assertThat(server1.isSampled()).isTrue();
      assertThat(traceparent.get()).startsWith("00-" + server1.getTraceId() + "-")
          .doesNotContain(server1.getSpanId());
    } finally {
      server.stop(0);
    }
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }
}
