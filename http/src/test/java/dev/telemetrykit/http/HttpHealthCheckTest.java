package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.health.HealthCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link HttpTelemetry#healthCheck(URI)} against a real loopback server. */
class HttpHealthCheckTest {

  @Test
  void twoXxAndThreeXxAreUpOthersDownAndRefusedConnectionsThrow() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ok", e -> {
      e.sendResponseHeaders(204, -1);
      e.close();
    });
    server.createContext("/moved", e -> {
      e.getResponseHeaders().set("Location", "/elsewhere");
      e.sendResponseHeaders(302, -1);
      e.close();
    });
    server.createContext("/broken", e -> {
      e.sendResponseHeaders(503, -1);
      e.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try {
      String base = "http://127.0.0.1:" + port;
      assertThat(HttpTelemetry.healthCheck(URI.create(base + "/ok")).check().status())
          .isEqualTo(HealthCheck.Status.UP);
      assertThat(HttpTelemetry.healthCheck(URI.create(base + "/moved")).check().status())
          .isEqualTo(HealthCheck.Status.UP);
      HealthCheck.Result broken =
          HttpTelemetry.healthCheck(URI.create(base + "/broken?token=abc")).check();
      assertThat(broken.status()).isEqualTo(HealthCheck.Status.DOWN);
      assertThat(broken.reason()).isEqualTo("GET " + base + "/broken returned HTTP 503");
    } finally {
      server.stop(0);
    }
    assertThatThrownBy(() -> HttpTelemetry.healthCheck(URI.create("http://127.0.0.1:" + port + "/ok"),
        Duration.ofSeconds(2)).check()).isInstanceOf(java.io.IOException.class);
  }
}
