package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.TelemetryKit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** A TelemetryKit on a free loopback port, own registry, no JVM metrics, no modules. */
final class Kits {

  private Kits() {}

  static TelemetryKit.Builder builder() {
    return TelemetryKit.builder().serviceName("meters-test").metricsPort(0)
        .metricsHost("127.0.0.1").shutdownHook(false).jvmMetrics(false)
        .registry(new PrometheusRegistry()).modules();
  }

  static TelemetryKit start() {
    return builder().start();
  }
}
