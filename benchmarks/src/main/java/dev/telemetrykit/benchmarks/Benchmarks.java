package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Shared set-up for benchmarks. */
public final class Benchmarks {

  private Benchmarks() {}

  /**
   * A TelemetryKit on its own registry with no server, no JVM metrics, no shutdown hook and no
   * modules (tracing and logging are on the benchmarks' class path; discovering them would add
   * spans and JSON logging to every benchmark), so a benchmark measures recording only.
   */
  public static TelemetryKit startTelemetry(PrometheusRegistry registry) {
    return TelemetryKit.builder()
        .serviceName("benchmark")
        .registry(registry)
        .metricsServer(false)
        .jvmMetrics(false)
        .shutdownHook(false)
        .modules()
        .start();
  }
}
