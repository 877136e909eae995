package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the collector black-holed (connections accepted, never answered) for 30 s under
 * the demo traffic. The OpenTelemetry SDK's export failures, written through java.util.logging,
 * must arrive as JSON lines, rate-limited, and nothing else may reach the output: the service's
 * stdout and stderr are captured together, so a plain-text stderr line fails the JSON parse.
 */
class CollectorDownTest {

  @TempDir
  Path dir;

  @Test
  void exporterFailuresAreRateLimitedJsonAndNoPlainTextReachesTheOutput() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (!blackHole.isClosed() && held.size() < 1000) {
            held.add(blackHole.accept()); // never read, never answered
          }
        } catch (IOException closed) {
          // test over
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
      String output;
      try (ServiceProcess service = ServiceProcess.start(dir, Map.of(
          "OTEL_SERVICE_NAME", "orders-service",
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + blackHole.getLocalPort(),
          "OTEL_BSP_SCHEDULE_DELAY", "200",
          "OTEL_EXPORTER_OTLP_TIMEOUT", "1000",
          "TELEMETRYKIT_TRACING_SHUTDOWN_TIMEOUT", "2s"), "--demo-traffic")) {
        Thread.sleep(30_000);
        service.close();
        output = service.output();
      }
      Map<String, Integer> otelLines = new TreeMap<>();
      for (String line : output.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode json;
        try {
          json = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new AssertionError("Not a JSON line: " + line);
        }
        assertThat(json.isObject()).as(line).isTrue();
        assertThat(json.path("service.name").asText()).as(line).isEqualTo("orders-service");
        String logger = json.path("logger").asText();
        if (logger.startsWith("io.opentelemetry")) {
          otelLines.merge(logger, 1, Integer::sum);
        }
      }
      assertThat(held).as("the exporter reached the black hole").isNotEmpty();
      assertThat(otelLines).as("the SDK reported the failures, as JSON").isNotEmpty();
      // One line per logger per minute; a second one only if the run crossed a minute.
      assertThat(otelLines.values()).as(otelLines.toString()).allMatch(n -> n <= 2);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
