package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.CardinalityGuard;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * A counter created through {@link Meters#counter(String)}.
 *
 * <pre>{@code
 * GuardedCounter orders = telemetry.meters().counter("orders_created_total")
 *     .help("Orders accepted").labelNames("channel").register();
 * CounterDataPoint web = orders.labelValues("web");   // bind once
 * web.inc();                                          // record: no allocation, no lock
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GuardedCounter extends GuardedMetric<CounterDataPoint> {

  GuardedCounter(
      String name, String[] labelNames, CounterDataPoint unlabelled, CardinalityGuard<CounterDataPoint> guard) {
    super(name, labelNames, unlabelled, guard);
  }
}
