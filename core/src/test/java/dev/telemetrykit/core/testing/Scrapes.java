package dev.telemetrykit.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrapes a real metrics endpoint over loopback HTTP, for tests of every module. Shipped in
 * core's test jar ({@code <type>test-jar</type>}).
 */
public final class Scrapes {

  /** Prometheus text format 0.0.4. */
  public static final String TEXT = "text/plain; version=0.0.4";
  /** OpenMetrics text 1.0.0. */
  public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  /** Prometheus protobuf, delimited. */
  public static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Scrapes() {}

  /** GET {@code http://127.0.0.1:port/metrics} as Prometheus text; fails unless 200. */
  public static String text(int port) {
    HttpResponse<byte[]> r = get(port, "/metrics", TEXT);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /metrics returned " + r.statusCode());
    }
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** GET a path with an Accept header. */
  public static HttpResponse<byte[]> get(int port, String path, String accept) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30)).GET();
      if (accept != null) {
        b.header("Accept", accept);
      }
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Lines of a text scrape that start with {@code prefix} (a metric name or name + '{'). */
  public static List<String> lines(String scrape, String prefix) {
    List<String> out = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        out.add(line);
      }
    }
    return out;
  }

  /**
   * The value of the one sample whose line starts with {@code seriesPrefix}, e.g.
   * {@code cache_gets_total{cache="a",result="hit"}}; fails if there is not exactly one.
   */
  public static double value(String scrape, String seriesPrefix) {
    List<String> found = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith(seriesPrefix + " ") || line.equals(seriesPrefix)) {
        found.add(line);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("Expected one sample " + seriesPrefix + " but found " + found
          + " in scrape:\n" + scrape);
    }
    String line = found.get(0);
    String rest = line.substring(seriesPrefix.length()).trim();
    int space = rest.indexOf(' ');
    return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
  }
}
