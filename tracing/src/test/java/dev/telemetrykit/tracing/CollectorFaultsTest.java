package dev.telemetrykit.tracing;

import static dev.telemetrykit.tracing.Kits.ENDPOINT;
import static dev.telemetrykit.tracing.Kits.exported;
import static dev.telemetrykit.tracing.Kits.kit;
import static dev.telemetrykit.tracing.Kits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The collector misbehaves for the whole test; application threads must never wait on it.
 * Non-blocking is proven structurally, not with timings: a bounded loop of span start+end
 * completes while the exporter is provably stuck inside one export.
 */
class CollectorFaultsTest {

  private static final int SPANS = 10_000;
  /** The SDK's default OTEL_BSP_MAX_QUEUE_SIZE. */
  private static final int DEFAULT_QUEUE = 2048;

  @Test
  void blackHoledCollectorNeverBlocksSpanEndKeepsTheQueueBoundedAndCountsDropsAndFailures()
      throws Exception {
    try (BlackHole hole = new BlackHole();
        TelemetryKit kit = kit("black-holed").setting(ENDPOINT, hole.endpoint())
            .setting("OTEL_BSP_SCHEDULE_DELAY", "1")
            .setting("OTEL_EXPORTER_OTLP_TIMEOUT", "5000")      // the stuck export's lifetime
            .setting("OTEL_BSP_EXPORT_TIMEOUT", "5000")
            .setting(TracingModule.SHUTDOWN_TIMEOUT, "200ms")   // close() gives up quickly
            .start()) {
      Tracing tracing = Tracing.create(kit);
      tracing.run("first", () -> { });
      hole.awaitFirstRequest(); // the exporter is now inside export(), waiting for an answer

      int completed = 0;
      for (int i = 0; i < SPANS; i++) {
        tracing.run("op", () -> { });
        completed++;
      }
      // The stuck export has not ended (no success, no failure yet), so every one of the
      // SPANS span ends above returned while the exporter was blocked on the collector.
      assertThat(exported(kit, "failure")).isZero();
      assertThat(exported(kit, "success")).isZero();
      assertThat(completed).isEqualTo(SPANS);

      // The batch processor's worker is blocked in that export, so nothing left the queue:
      // at most DEFAULT_QUEUE spans are held, every other one was dropped and counted.
      assertThat(exported(kit, "dropped")).isGreaterThanOrEqualTo(SPANS - DEFAULT_QUEUE);

      // When the exporter's timeout ends the stuck export, it is counted as a failure.
      waitUntil("timed-out export counted as failure", () -> exported(kit, "failure") > 0);

      Promtool.Result lint = Promtool.checkMetrics(Scrapes.text(kit.metricsPort()));
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void collectorDownDropsAndCountsWithoutBlockingAndExportResumesWhenItComesBack()
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // closed again: connections to it are refused
    }
    try (TelemetryKit kit = kit("collector-down")
        .setting(ENDPOINT, "http://127.0.0.1:" + port)
        .setting("OTEL_BSP_SCHEDULE_DELAY", "10")
        .setting("OTEL_BSP_MAX_QUEUE_SIZE", "100")
        .setting("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "50")
        .setting("OTEL_EXPORTER_OTLP_TIMEOUT", "1000")
        .setting(TracingModule.SHUTDOWN_TIMEOUT, "5s")
        .start()) {
      Tracing tracing = Tracing.create(kit);
      int completed = 0;
      for (int i = 0; i < SPANS; i++) {
        tracing.run("op", () -> { });
        completed++;
      }
      assertThat(completed).isEqualTo(SPANS);
      // Refused exports are retried with backoff (≥ 1 s each, the exporter's default), so at
      // most the queue (100) and a few batches (50 each) escaped dropping during the loop.
      assertThat(exported(kit, "dropped")).isGreaterThanOrEqualTo(SPANS - 100 - 50 * 10);
      assertThat(exported(kit, "success")).isZero();
      waitUntil("refused export counted as failure", () -> exported(kit, "failure") > 0);

      try (OtlpReceiver receiver = OtlpReceiver.start(port)) {
        tracing.run("after-recovery", () -> { });
        waitUntil("span exported after the collector came back", () ->
            receiver.spans().stream().anyMatch(r -> r.span().getName().equals("after-recovery")));
        waitUntil("success counted", () -> exported(kit, "success") > 0);
      }
    }
  }
}
