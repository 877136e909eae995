package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.http.internal.Correlation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** An incoming correlation ID that is a secret is replaced by a fresh one, which is echoed. */
class SecretCorrelationIdTest {

  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @Test
  void secretIdsAreNeitherEchoedNorPutInTheMdc() throws Exception {
    assertThat(Correlation.isValid("password=hunter2")).isFalse();
    assertThat(Correlation.isValid("AKIAIOSFODNN7EXAMPLE")).isFalse();
    assertThat(Correlation.isValid("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f")).isTrue();

    try (TelemetryKit kit = Fixtures.kit().start()) {
      HttpTelemetry http = HttpTelemetry.builder(kit).echoCorrelationId(true).build();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle).getFilters().add(http.jdkServerFilter());
      server.start();
      try {
        int port = server.getAddress().getPort();
        for (String secret : new String[] {"password=hunter2", "AKIAIOSFODNN7EXAMPLE",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz"}) {
          seen.clear();
          String response = Fixtures.rawRequest(port, "X-Request-ID",
              secret.getBytes(StandardCharsets.ISO_8859_1));
          assertThat(response).startsWith("HTTP/1.1 200").doesNotContain(secret)
              .doesNotContain("hunter2");
          String echoed = Fixtures.header(response, "X-Request-ID");
          assertThat(echoed).matches("[0-9a-f]{32}");
          assertThat(seen).containsEntry("id", echoed);
        }
        String ok = "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f";
        String response = Fixtures.rawRequest(port, "X-Request-ID",
            ok.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Fixtures.header(response, "X-Request-ID")).isEqualTo(ok);
        assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
            "telemetrykit_redactions_total{rule=\"aws_access_key\",signal=\"log\"}"))
            .isGreaterThanOrEqualTo(1);
      } finally {
        server.stop(0);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String id = MDC.get(HttpNames.MDC_CORRELATION_ID);
    seen.put("id", id == null ? "(none)" : id);
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
