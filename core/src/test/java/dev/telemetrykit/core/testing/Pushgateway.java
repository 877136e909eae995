package dev.telemetrykit.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Pushgateway (Debian package {@code prometheus-pushgateway}, installed by
 * {@code .ci/run}) on a free loopback port, for tests. A missing binary fails the test (with
 * the line that installs it), so no run can pass by skipping.
 */
public final class Pushgateway implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private Pushgateway(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a gateway and waits until {@code /-/ready} answers (at most 30 s). */
  public static Pushgateway start() {
    String binary = executable();
    try {
      int port = freePort();
      Path log = Files.createTempFile("pushgateway", ".log");
      Process p = new ProcessBuilder(binary, "--web.listen-address=127.0.0.1:" + port,
          // Debian defaults to a persistence file shared by every run on the machine.
          "--persistence.file=")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Pushgateway gateway = new Pushgateway(p, port, log);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new AssertionError("prometheus-pushgateway exited: " + Files.readString(log));
        }
        try {
          if (gateway.get("/-/ready").statusCode() == 200) {
            return gateway;
          }
        } catch (UncheckedIOException notYet) {
          // Still starting.
        }
        Thread.sleep(100);
      }
      gateway.close();
      throw new AssertionError("prometheus-pushgateway not ready within 30 s: "
          + Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The gateway's base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The gateway's own {@code /metrics}: every pushed group, plus {@code push_time_seconds}. */
  public String metrics() {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /metrics on the Pushgateway returned " + r.statusCode());
    }
    return r.body();
  }

  /** Lines of {@link #metrics()} for one metric name whose labels contain all {@code labels}. */
  public static List<String> series(String metrics, String name, String... labels) {
    List<String> out = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        out.add(line);
      }
    }
    return out;
  }

  private HttpResponse<String> get(String path) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // A temp file left behind is harmless.
    }
  }

  /** A loopback port that was free a moment ago (nothing listens on it after this returns). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      File f = new File(dir, "prometheus-pushgateway");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    // Like promtool: a missing tool fails the test, so no run can pass by skipping it.
    throw new AssertionError("prometheus-pushgateway is not installed; run: apt-get install -y"
        + " prometheus-pushgateway (.ci/run does this)");
  }
}
