package dev.telemetrykit.samples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A real Prometheus server (the Debian {@code prometheus} binary) on a free loopback port,
 * scraping one loopback target every second, with its data in a temporary folder that
 * {@link #close()} deletes together with the process. For end-to-end tests of the shipped
 * dashboards and alerts.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start(9464, "orders-service")) {
 *   prometheus.awaitSeries("up{job=\"orders-service\"} == 1", Duration.ofSeconds(30));
 *   int series = prometheus.seriesCount("rate(cache_gets_total[1m])");
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path dataDir;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path dataDir, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code 127.0.0.1:targetPort/metrics} as job {@code job} every
   * second and waits until it is ready (at most 60 s).
   *
   * @throws AssertionError if the {@code prometheus} binary is missing or does not get ready
   */
  public static PrometheusServer start(int targetPort, String job) {
    return start(targetPort, job, false);
  }

  /**
   * As {@link #start(int, String)}; with {@code honorLabels} the target's own {@code job} and
   * {@code instance} labels win, as when scraping a Pushgateway.
   */
  public static PrometheusServer start(int targetPort, String job, boolean honorLabels) {
    Objects.requireNonNull(job, "job");
    String binary = executable();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("telemetrykit-prometheus");
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
          + "scrape_configs:\n  - job_name: '" + job + "'\n"
          + (honorLabels ? "    honor_labels: true\n" : "") + "    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + targetPort + "']\n");
      Process p = new ProcessBuilder(binary, "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      PrometheusServer server = new PrometheusServer(p, dir, port);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException(e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Runs an instant query and returns the API's {@code data.result} array. */
  public JsonNode query(String promql) {
    Objects.requireNonNull(promql, "promql");
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AssertionError("query failed (" + r.statusCode() + "): " + promql + "\n" + r.body());
      }
      return body.path("data").path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Number of series an instant query returns. */
  public int seriesCount(String promql) {
    return query(promql).size();
  }

  /** Polls {@code promql} until it returns a series; fails after {@code timeout}. */
  public void awaitSeries(String promql, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seriesCount(promql) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no series for " + promql + " within " + timeout);
      }
      sleep(250);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        String log = readLog();
        close();
        throw new AssertionError("prometheus exited: " + log);
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new AssertionError(e);
      }
      if (System.nanoTime() > deadline) {
        String log = readLog();
        close();
        throw new AssertionError("prometheus not ready within " + timeout + ": " + log);
      }
      sleep(200);
    }
  }

  private String readLog() {
    try {
      return Files.readString(dataDir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the process (waits up to 10 s, then kills it) and deletes its data. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dataDir);
  }

  /** Path of the prometheus binary; fails with an install hint when it is missing. */
  static String executable() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      File f = new File(d, "prometheus");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError("prometheus is not installed; run: apt-get install -y prometheus"
        + " (.ci/run does this)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }
}
