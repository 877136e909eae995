package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.CardinalityGuard;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * A gauge created through {@link Meters#gauge(String)}.
 *
 * <pre>{@code
 * GuardedGauge sessions = telemetry.meters().gauge("sessions_active")
 *     .help("Open sessions").labelNames("region").register();
 * sessions.labelValues("eu").inc();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GuardedGauge extends GuardedMetric<GaugeDataPoint> {

  GuardedGauge(
      String name, String[] labelNames, GaugeDataPoint unlabelled, CardinalityGuard<GaugeDataPoint> guard) {
    super(name, labelNames, unlabelled, guard);
  }
}
