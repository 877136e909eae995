package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.CardinalityGuard;
import io.prometheus.metrics.core.datapoints.DataPoint;
import java.util.Arrays;
import java.util.List;

/**
 * A metric created through {@link Meters}, whose distinct label sets are capped by the
 * cardinality guard.
 *
 * <p>Bind label values once, outside the hot path, and record on the returned data point:
 * counters and gauges are client_java's own data points, so recording costs exactly what raw
 * client_java costs; histograms count in per-thread stripes (see {@link GuardedHistogram}).
 * Either way recording allocates nothing and takes no lock. Binding label values at call time
 * costs one hash lookup, like client_java's {@code labelValues(...)}.
 *
 * @param <D> the data point type recorded on
 * @since 0.1.0
 */
public abstract sealed class GuardedMetric<D extends DataPoint>
    permits GuardedCounter, GuardedHistogram, GuardedGauge {

  private final String name;
  private final String[] labelNames;
  private final D unlabelled;
  private final CardinalityGuard<D> guard;

  GuardedMetric(String name, String[] labelNames, D unlabelled, CardinalityGuard<D> guard) {
    this.name = name;
    this.labelNames = labelNames.clone();
    this.unlabelled = unlabelled;
    this.guard = guard;
  }

  /**
   * The series for these label values (in the order of {@link #labelNames()}), created on first
   * use; past the cardinality limit, the overflow series whose label values are all
   * {@code _OTHER}. A metric without labels takes no arguments.
   *
   * @throws IllegalArgumentException if the number of values differs from the number of label
   *     names, or a value is {@code null}
   */
  public final D labelValues(String... labelValues) {
    if (unlabelled != null) {
      if (labelValues.length != 0) {
        throw new IllegalArgumentException("Metric '" + name + "' has no labels but "
            + labelValues.length + " label values were given: " + Arrays.toString(labelValues));
      }
      return unlabelled;
    }
    return guard.bind(labelValues);
  }

  /** The metric name as registered. */
  public final String name() {
    return name;
  }

  /** The label names, in order. */
  public final List<String> labelNames() {
    return List.of(labelNames);
  }

  /** Number of distinct label sets recorded so far, the overflow series not included. */
  public final int seriesCount() {
    return unlabelled != null ? 1 : guard.size();
  }
}
