package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.CardinalityGuard;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * A classic histogram created through {@link Meters#histogram(String)}.
 *
 * <p>Its series count in stripes chosen by thread ID, so threads recording into one series
 * (the workers of a server, on one route) do not write the same memory; the scrape adds the
 * stripes up. It is exposed as any client_java histogram is, with exemplars from client_java's
 * sampler. See docs/benchmarks.md ("striped histogram") for what it saves.
 *
 * <pre>{@code
 * GuardedHistogram latency = telemetry.meters().histogram("checkout_duration_seconds")
 *     .help("Checkout time").labelNames("step").register();
 * DistributionDataPoint pay = latency.labelValues("payment");
 * pay.observe(0.042);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GuardedHistogram extends GuardedMetric<DistributionDataPoint> {

  GuardedHistogram(
      String name, String[] labelNames, DistributionDataPoint unlabelled, CardinalityGuard<DistributionDataPoint> guard) {
    super(name, labelNames, unlabelled, guard);
  }
}
