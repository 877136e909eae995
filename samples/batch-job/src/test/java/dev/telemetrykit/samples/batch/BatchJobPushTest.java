package dev.telemetrykit.samples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.testing.Pushgateway;
import dev.telemetrykit.samples.monitoring.MonitoringQueries;
import dev.telemetrykit.samples.monitoring.PromQuery;
import dev.telemetrykit.samples.monitoring.PrometheusServer;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the sample as its own JVM (as cron or a Kubernetes Job would) against a real
 * Pushgateway on loopback, and compares what the job says it recorded with what the gateway
 * serves after the process exited.
 */
class BatchJobPushTest {

  @Test
  void theJobsLastRunIsInThePushgatewayWithItsJobLabel() throws Exception {
    try (Pushgateway gateway = Pushgateway.start()) {
      Run run = runJob(gateway.url(), "--items", "250", "--batch-size", "50",
          "--fail-every", "10", "--fail-batch", "3");
      assertThat(run.exitCode).as(run.output).isEqualTo(1);   // batch 3 failed
      Matcher m = Pattern.compile("RESULT batches_ok=(\\d+) batches_failed=(\\d+) items_ok=(\\d+)"
          + " items_failed=(\\d+)").matcher(run.output);
      assertThat(m.find()).as(run.output).isTrue();
      Map<String, Integer> recorded = Map.of(
          "batch_processor_batches_total{instance=\"e2e\",job=\"invoice-export\",outcome=\"success\"",
          Integer.parseInt(m.group(1)),
          "batch_processor_batches_total{instance=\"e2e\",job=\"invoice-export\",outcome=\"failure\"",
          Integer.parseInt(m.group(2)),
          "batch_processor_items_total{instance=\"e2e\",job=\"invoice-export\",outcome=\"success\"",
          Integer.parseInt(m.group(3)),
          "batch_processor_items_total{instance=\"e2e\",job=\"invoice-export\",outcome=\"failure\"",
          Integer.parseInt(m.group(4)));
      assertThat(recorded.values()).containsExactlyInAnyOrder(4, 1, 180, 70);

      String metrics = gateway.metrics();
      for (Map.Entry<String, Integer> e : recorded.entrySet()) {
        assertThat(sample(metrics, e.getKey())).as(e.getKey() + " in\n" + metrics)
            .isEqualTo(e.getValue().doubleValue());
      }
      assertThat(sample(metrics, "batch_processor_batch_size_items_count{instance=\"e2e\","
          + "job=\"invoice-export\"")).isEqualTo(5.0);
      assertThat(Pushgateway.series(metrics, "batch_processor_last_success_timestamp_seconds",
          "job=\"invoice-export\"")).hasSize(1);
      assertThat(Pushgateway.series(metrics, "target_info", "job=\"invoice-export\"",
          "service_name=\"invoice-export\"")).hasSize(1);
      assertThat(Pushgateway.series(metrics, "push_time_seconds", "job=\"invoice-export\"",
          "instance=\"e2e\"")).hasSize(1);
      assertThat(Pushgateway.series(metrics, "telemetrykit_pushgateway_pushes_total",
          "job=\"invoice-export\"")).isNotEmpty();
    }
  }

  @Test
  void prometheusScrapingTheGatewayJoinsTheJobsSeriesInBatchJobNotSucceeded() throws Exception {
    try (Pushgateway gateway = Pushgateway.start()) {
      Run run = runJob(gateway.url(), "--items", "100", "--batch-size", "50");
      assertThat(run.exitCode).as(run.output).isZero();
      int port = URI.create(gateway.url()).getPort();
      try (PrometheusServer prometheus = PrometheusServer.start(port, "pushgateway", true)) {
        prometheus.awaitSeries("push_time_seconds{job=\"invoice-export\",instance=\"e2e\"}",
            Duration.ofSeconds(60));
        PromQuery alert = MonitoringQueries.load(MonitoringQueries.locateMonitoringDir())
            .alerts().stream().filter(q -> q.title().startsWith("BatchJobNotSucceeded"))
            .findFirst().orElseThrow();
        for (String selector : alert.selectors()) {
          assertThat(prometheus.seriesCount(selector)).as(selector).isPositive();
        }
        String expr = alert.forPrometheus("1m");
        assertThat(prometheus.seriesCount(expr)).as("the job just succeeded: " + expr).isZero();
        // Same expression with any age: proves job/instance of the pushed series and of the
        // gateway's push_time_seconds join under honor_labels.
        String anyAge = expr.replace("25 * 3600", "-1");
        assertThat(anyAge).isNotEqualTo(expr);
        var result = prometheus.query(anyAge);
        assertThat(result).hasSize(1);
        assertThat(result.get(0).path("metric").path("job").asText()).isEqualTo("invoice-export");
        assertThat(result.get(0).path("metric").path("instance").asText()).isEqualTo("e2e");
      }
    }
  }

  @Test
  void aDownGatewayDoesNotChangeTheJobsOutcome() throws Exception {
    int port = Pushgateway.freePort();   // nothing listens there
    Run run = runJob("http://127.0.0.1:" + port, "--items", "100", "--batch-size", "50");
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).contains("RESULT batches_ok=2 batches_failed=0")
        .contains("Pushgateway push to http://127.0.0.1:" + port);
  }

  /** The value of the one gateway sample whose line starts with {@code prefix}. */
  private static double sample(String metrics, String prefix) {
    List<String> found = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        found.add(line);
      }
    }
    assertThat(found).as(prefix).hasSize(1);
    String line = found.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private record Run(int exitCode, String output) {}

  private static Run runJob(String gatewayUrl, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        BatchJob.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("OTEL_SERVICE_NAME");
    pb.environment().put("TELEMETRYKIT_PUSHGATEWAY_URL", gatewayUrl);
    pb.environment().put("TELEMETRYKIT_PUSHGATEWAY_INSTANCE", "e2e");
    pb.environment().put("TELEMETRYKIT_LOG_FORMAT", "text");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();   // ends when the process exits
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("batch job did not exit within 120 s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
