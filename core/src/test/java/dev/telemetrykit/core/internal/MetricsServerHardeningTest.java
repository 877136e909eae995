package dev.telemetrykit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients on loopback: slow headers, huge headers, too many connections, idle
 * keep-alive. Only outcomes are asserted (status codes, closed sockets, counters), never
 * durations; socket timeouts are generous and only stop a hang.
 */
class MetricsServerHardeningTest {

  private static TelemetryKit.Builder kit(String requestTimeout) {
    return TelemetryKit.builder().serviceName("hardening").registry(new PrometheusRegistry())
        .metricsHost("127.0.0.1").metricsPort(0).shutdownHook(false).jvmMetrics(false)
        .setting(TelemetryKit.METRICS_REQUEST_TIMEOUT, requestTimeout);
  }

  private static Socket slowSocket(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    s.setSoTimeout(60_000);
    // Half a request: the header never ends.
    s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: a\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /**
   * True once the server has closed the socket (end of stream or reset), false if it stays open
   * for the socket's read timeout. Also used by {@link GuardedHttpServerTest}.
   */
  static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static double rejected(String scrape, String reason) {
    for (String line : Scrapes.lines(scrape, MetricsServer.REJECTED_METRIC + "{")) {
      if (line.contains("reason=\"" + reason + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + reason + " series in\n" + scrape);
  }

  @Test
  void twoHundredSlowSocketsDoNotStallHealthOrMetricsAndAreCutByTheTimeout() throws Exception {
    try (TelemetryKit telemetry = kit("3s").start()) {
      int port = telemetry.metricsPort();
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          slow.add(slowSocket(port));
        }
        for (int i = 0; i < 20; i++) {
          assertThat(Scrapes.get(port, "/health", null).statusCode()).isEqualTo(200);
          assertThat(Scrapes.get(port, "/metrics", Scrapes.TEXT).statusCode()).isEqualTo(200);
        }
        for (Socket s : slow) {
          assertThat(closedByServer(s)).as("slow socket closed by the server").isTrue();
        }
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
      assertThat(rejected(Scrapes.text(port), "timeout")).isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void headerOverTheCapGets431OrAClosedConnectionAndTheServerKeepsServing() throws Exception {
    try (TelemetryKit telemetry = kit("5s").start()) {
      int port = telemetry.metricsPort();
      for (int round = 0; round < 3; round++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          s.setSoTimeout(30_000);
          String status = "";
          try {
            OutputStream out = s.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: a\r\nX-Big: ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            for (int i = 0; i < 16; i++) { // 1 MiB, far over the 16 KiB cap
              out.write(chunk);
            }
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closedWhileWriting) {
            // The server may close before we finish; also an accepted outcome.
          }
          try {
            byte[] head = s.getInputStream().readNBytes(12);
            status = new String(head, StandardCharsets.US_ASCII);
          } catch (IOException reset) {
            status = "closed";
          }
          assertThat(status).matches("HTTP/1.1 431|closed|");
        }
      }
      String scrape = Scrapes.text(port);
      assertThat(rejected(scrape, "too_large")).isEqualTo(3);
      assertThat(Scrapes.get(port, "/health", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void connectionsOverTheCapAreClosedAndCountedAsOverloaded() throws Exception {
    try (TelemetryKit telemetry = kit("30s")
        .setting(TelemetryKit.METRICS_MAX_CONNECTIONS, "3").start()) {
      int port = telemetry.metricsPort();
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          slow.add(slowSocket(port));
        }
        Socket extra = slowSocket(port);
        slow.add(extra);
        assertThat(closedByServer(extra)).isTrue();
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
      // The slow ones are gone now, so a normal scrape gets a slot (the server may need a
      // moment to notice the closes; the client retries on its own connection).
      String scrape = null;
      for (int i = 0; i < 50 && scrape == null; i++) {
        try {
          scrape = Scrapes.text(port);
        } catch (RuntimeException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(scrape).isNotNull();
      assertThat(rejected(scrape, "overloaded")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void invalidLimitsFailStartNamingTheSetting() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kit("0s").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting " + TelemetryKit.METRICS_REQUEST_TIMEOUT)
        .hasMessageContaining("value '0s' is not allowed; expected a positive duration");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> kit("5s").setting(TelemetryKit.METRICS_MAX_CONNECTIONS, "0").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting " + TelemetryKit.METRICS_MAX_CONNECTIONS);
  }

  @Test
  void idleKeepAliveConnectionIsClosedAndPipelinedRequestsAreServed() throws Exception {
    try (TelemetryKit telemetry = kit("5s")
        .setting(TelemetryKit.METRICS_IDLE_TIMEOUT, "500ms").start()) {
      int port = telemetry.metricsPort();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(30_000);
        String request = "GET /health HTTP/1.1\r\nHost: a\r\n\r\n";
        s.getOutputStream().write((request + request).getBytes(StandardCharsets.US_ASCII));
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        // Both answered, then the idle connection was closed by the server (readAllBytes ended).
        assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(3);
      }
    }
  }
}
