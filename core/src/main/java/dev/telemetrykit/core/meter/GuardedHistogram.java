package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.CardinalityGuard;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * A classic histogram created through {@link Meters#histogram(String)}.
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
