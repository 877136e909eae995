package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The real server the client tests call: a JDK {@code HttpServer} on loopback that records, by
 * path, the {@code traceparent} and {@code X-Request-ID} it received (or {@code "(none)"}) and
 * the request body. {@code /404...} and {@code /503...} answer with that status,
 * {@code /redirect} with a 302 to {@code /ok}, {@code /slow...} waits until {@link #release()}
 * (at most 20 s), anything else answers 200 {@code ok}.
 */
final class RecordingServer implements AutoCloseable {

  final Map<String, String> traceparents = new ConcurrentHashMap<>();
  final Map<String, String> requestIds = new ConcurrentHashMap<>();
  final Map<String, String> bodies = new ConcurrentHashMap<>();
  final int port;
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final HttpServer server;

  RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(workers);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String tp = exchange.getRequestHeaders().getFirst("traceparent");
      traceparents.put(path, tp == null ? "(none)" : tp);
      String id = exchange.getRequestHeaders().getFirst("X-Request-ID");
      requestIds.put(path, id == null ? "(none)" : id);
      bodies.put(path, new String(exchange.getRequestBody().readAllBytes()));
      if (path.startsWith("/slow")) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (path.equals("/redirect")) {
        exchange.getResponseHeaders().set("Location", "/ok");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
        return;
      }
      int status = path.startsWith("/404") ? 404 : path.startsWith("/503") ? 503 : 200;
      byte[] body = "ok".getBytes();
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // the client went away (timeout, cancel)
      }
    });
    server.start();
    port = server.getAddress().getPort();
  }

  /**
   * Asserts that one client call to {@code /redirect}, followed to {@code /ok}, was recorded as
   * one call with the final status and one span, and that both hops carried that span's
   * {@code traceparent} and the final hop {@code requestId}.
   */
  void assertOneTracedCallFollowedTheRedirect(String scrape, InMemorySpanExporter spans,
      String requestId) {
    assertThat(sum(scrape, HttpNames.CLIENT_DURATION + "_count")).isEqualTo(1);
    assertThat(sum(scrape, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code=200"))
        .isEqualTo(1);
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    String spanId = spans.getFinishedSpanItems().get(0).getSpanId();
    assertThat(traceparents.get("/redirect")).contains(spanId);
    assertThat(traceparents.get("/ok")).contains(spanId);
    assertThat(requestIds.get("/ok")).isEqualTo(requestId);
  }

  /** Lets the requests held on {@code /slow} paths answer. */
  void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    workers.shutdownNow();
  }
}
