package dev.telemetrykit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The I/O loop's deadlines: it sleeps until the earliest one, so an idle port makes no wake-ups,
 * and a deadline set later but due earlier than the one it sleeps for is still kept. Outcomes
 * only (wake-up counts, closed sockets); socket timeouts are generous and only stop a hang.
 */
class GuardedHttpServerTest {

  private static final HttpHandler OK = exchange -> {
    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  };

  private final ConcurrentLinkedQueue<String> rejections = new ConcurrentLinkedQueue<>();

  private GuardedHttpServer start(Duration timeout, Duration idle) throws IOException {
    return GuardedHttpServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        List.of(new GuardedHttpServer.Route("/", OK, null)),
        new GuardedHttpServer.Limits(timeout, idle, 16, 1), rejections::add, null);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000);
    return s;
  }

  @Test
  void aPortWithNoConnectionsDoesNotWakeUp() throws Exception {
    try (GuardedHttpServer server = start(Duration.ofSeconds(5), Duration.ofSeconds(30))) {
      long before = server.wakeups();
      // The old loop woke every 100 ms; this one has no deadline to keep, so it stays asleep
      // however long (or short, on a loaded machine) this pause turns out to be.
      Thread.sleep(1_000);
      assertThat(server.wakeups()).isEqualTo(before);
    }
  }

  @Test
  void aShortDeadlineSetWhileTheLoopWaitsForALongerOneIsKept() throws Exception {
    // The keep-alive connection's idle deadline (10 min) is what the loop sleeps for when the
    // slow one arrives; the slow one must still be cut at its 1 s request timeout.
    try (GuardedHttpServer server = start(Duration.ofSeconds(1), Duration.ofMinutes(10));
        Socket keepAlive = connect(server.port())) {
      keepAlive.getOutputStream().write(
          "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = keepAlive.getInputStream();
      byte[] response = new byte[256];
      int n = in.read(response);
      assertThat(new String(response, 0, n, StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 200");
      try (Socket slow = connect(server.port())) {
        slow.getOutputStream().write(
            "GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(MetricsServerHardeningTest.closedByServer(slow))
            .as("slow socket cut by the request timeout").isTrue();
      }
      assertThat(rejections).containsExactly("timeout");
    }
  }
}
