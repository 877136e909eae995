package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.UnitOfWork;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The JDK server filter makes each request a {@link UnitOfWork} named after its route, and
 * ends it while the request's correlation ID and span are still current (N+1 reports use them).
 */
class ServerUnitOfWorkTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = Fixtures.sdk(spans);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private TelemetryKit kit;
  private HttpServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.stop(0);
    }
    worker.shutdownNow();
    if (kit != null) {
      kit.close();
    }
    sdk.close();
  }

  @Test
  void eachRequestIsAUnitNamedAfterItsRouteEndedWhileItsContextIsCurrent() throws Exception {
    // Nothing else in this module's tests enables units (the flag is process-wide), so until
    // this test does, requests run without one.
    boolean enabledBefore = UnitOfWork.enabledForRequests();
    kit = Fixtures.kit().start();
    HttpTelemetry http = HttpTelemetry.builder(kit).routes("/orders/{id}").openTelemetry(sdk)
        .build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(worker);
    server.createContext("/", exchange -> {
      UnitOfWork unit = UnitOfWork.current();
      seen.add("in handler: " + (unit == null ? "none" : unit.name()));
      if (unit != null) {
        unit.onEnd(u -> seen.add("ended: " + u.name() + " id="
            + (MDC.get(HttpNames.MDC_CORRELATION_ID) != null) + " span="
            + Span.current().getSpanContext().isValid()));
      }
      exchange.sendResponseHeaders(200, 2);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("ok".getBytes());
      }
    }).getFilters().add(http.jdkServerFilter());
    server.start();

    HttpClient client = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    if (!enabledBefore) {
      assertThat(client.send(HttpRequest.newBuilder(base.resolve("/orders/0")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(seen).containsExactly("in handler: none");
      seen.clear();
    }
    // What the jdbc module's DataSource wrapper does.
    UnitOfWork.enableForRequests();
    assertThat(UnitOfWork.enabledForRequests()).isTrue();
    for (String path : new String[] {"/orders/1", "/orders/2"}) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    // the worker thread is left without a unit once the filter is done
    String after = worker.submit(() -> String.valueOf(UnitOfWork.current()))
        .get(30, TimeUnit.SECONDS);
    assertThat(after).isEqualTo("null");
    assertThat(seen).containsExactly(
        "in handler: GET /orders/{id}", "ended: GET /orders/{id} id=true span=true",
        "in handler: GET /orders/{id}", "ended: GET /orders/{id} id=true span=true");
  }
}
