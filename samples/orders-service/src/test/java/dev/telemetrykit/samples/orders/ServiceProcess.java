package dev.telemetrykit.samples.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The orders service in its own JVM, as a user runs it, with stdout captured to a file so a
 * test can read exactly what the service printed.
 */
final class ServiceProcess implements AutoCloseable {

  final int httpPort;
  final int metricsPort;
  final Path stdout;
  private final Process process;

  private ServiceProcess(Process process, int httpPort, int metricsPort, Path stdout) {
    this.process = process;
    this.httpPort = httpPort;
    this.metricsPort = metricsPort;
    this.stdout = stdout;
  }

  /** Starts the service with this test's class path; waits until both ports answer. */
  static ServiceProcess start(Path dir, Map<String, String> env, String... args) throws Exception {
    int httpPort = freePort();
    int metricsPort = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-cp", System.getProperty("java.class.path"),
        OrdersService.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ORDERS_PORT", Integer.toString(httpPort));
    pb.environment().put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort));
    pb.environment().put("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
    pb.environment().putAll(env);
    Path out = dir.resolve("orders-service.out");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    ServiceProcess service = new ServiceProcess(pb.start(), httpPort, metricsPort, out);
    service.awaitUp();
    return service;
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String output() throws IOException {
    return Files.readString(stdout);
  }

  private void awaitUp() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive()) {
        throw new AssertionError("orders-service exited with " + process.exitValue() + ":\n"
            + output());
      }
      try {
        int health = client.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + metricsPort + "/health")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        int api = client.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + httpPort + "/orders/1")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (health == 200 && api > 0) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("orders-service did not come up in 60 s:\n" + output());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();   // SIGTERM: the shutdown hook flushes and stops TelemetryKit
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
