package dev.telemetrykit.cache;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** A TelemetryKit on a free loopback port with its own registry, and scrapes of it. */
public final class Kits {

  private Kits() {}

  /** Starts one; close it (try-with-resources). */
  public static TelemetryKit start() {
    return TelemetryKit.builder().serviceName("cache-test").metricsPort(0)
        .metricsHost("127.0.0.1").shutdownHook(false).jvmMetrics(false)
        .registry(new PrometheusRegistry()).modules().start();
  }

  /** A real scrape of {@code /metrics} in Prometheus text format. */
  public static String scrape(TelemetryKit kit) {
    return Scrapes.text(kit.metricsPort());
  }

  /**
   * The value of one series, e.g. {@code value(kit, "cache_gets_total", "products", "", "result", "hit")};
   * {@code tier} "" is a cache without tiers.
   */
  public static double value(TelemetryKit kit, String metric, String cache, String tier,
      String... extraLabel) {
    return Scrapes.value(scrape(kit), series(metric, cache, tier, extraLabel));
  }

  /** The exposition prefix of one series, labels in client_java's (sorted) order. */
  public static String series(String metric, String cache, String tier, String... extraLabel) {
    StringBuilder b = new StringBuilder(metric).append("{cache=\"").append(cache)
        .append("\",cache_tier=\"").append(tier).append('"');
    for (int i = 0; i < extraLabel.length; i += 2) {
      b.append(',').append(extraLabel[i]).append("=\"").append(extraLabel[i + 1]).append('"');
    }
    return b.append('}').toString();
  }
}
