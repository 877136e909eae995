package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on a free loopback port, with a
 * throw-away storage directory. Fails, never skips, when the binary is missing.
 */
final class PrometheusProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private PrometheusProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Prometheus with {@code config} (YAML text) written into {@code dir}. */
  static PrometheusProcess start(Path dir, String config) throws Exception {
    String binary = "/usr/bin/prometheus";
    if (!Files.isExecutable(Path.of(binary))) {
      throw new AssertionError("prometheus is not installed; run: apt-get install -y prometheus"
          + " (.ci/run does this)");
    }
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port = freePort();
    Process p = new ProcessBuilder(binary,
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    PrometheusProcess prometheus = new PrometheusProcess(p, port);
    prometheus.awaitReady(dir);
    return prometheus;
  }

  int port() {
    return port;
  }

  /** Runs an instant query and returns {@code data.result}. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.MAPPER.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("Query failed (" + r.statusCode() + "): " + promql + " -> "
          + r.body());
    }
    return body.path("data").path("result");
  }

  /** GET an API path, e.g. {@code /api/v1/rules}. */
  JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }

  private void awaitReady(Path dir) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/ready")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus not ready after 60 s: "
        + Files.readString(dir.resolve("prometheus.log")));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
