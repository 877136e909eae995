package dev.telemetrykit.tracing;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.BooleanSupplier;

/** Test setup shared by the tracing tests. */
final class Kits {

  static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

  private Kits() {}

  /** A TelemetryKit on a free port with its own registry, starting only the tracing module. */
  static TelemetryKit.Builder kit(String service) {
    return TelemetryKit.builder().serviceName(service).metricsPort(0).shutdownHook(false)
        .jvmMetrics(false).registry(new PrometheusRegistry()).modules(new TracingModule());
  }

  /** {@code telemetrykit_spans_exported_total{result=...}} from a real scrape. */
  static double exported(TelemetryKit kit, String result) {
    return Scrapes.value(Scrapes.text(kit.metricsPort()),
        TracingMetrics.SPANS_EXPORTED + "{result=\"" + result + "\"}");
  }

  /** Waits (bounded: fails after 30 s) until the condition holds. Not a timing assertion. */
  static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("Still not true after 30 s: " + what);
  }
}
