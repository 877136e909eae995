package dev.telemetrykit.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the number of distinct label sets of one metric.
 *
 * <p>Known label sets are found with one {@link ConcurrentHashMap#get} and no lock — the same
 * cost as client_java's own {@code labelValues(...)}, which this replaces. Only a label set
 * never seen before takes the lock: under the limit it becomes a new series; past it, the
 * recording goes to one overflow series whose label values are all {@value #OVERFLOW_VALUE},
 * each recording on it is counted in {@code telemetrykit_cardinality_overflow_total{metric}},
 * and one WARN line names the label whose distinct values grew most.
 *
 * @param <D> the data point type of the metric
 */
public final class CardinalityGuard<D> {

  /** Label value of the overflow series, as OpenTelemetry names it for unknown values. */
  public static final String OVERFLOW_VALUE = "_OTHER";

  private static final Logger LOG = LoggerFactory.getLogger(CardinalityGuard.class);

  private final String metricName;
  private final String[] labelNames;
  private final int limit;
  private final Function<String[], D> binder;
  private final BiFunction<D, CounterDataPoint, D> overflowWrapper;
  private final CounterDataPoint overflowCounter;
  private final ConcurrentHashMap<List<String>, D> series = new ConcurrentHashMap<>();
  private volatile D overflow;

  /**
   * @param binder creates the real series for label values (client_java's {@code labelValues})
   * @param overflowWrapper wraps the overflow series so every recording also counts one overflow
   * @param overflowCounter this metric's series of {@code telemetrykit_cardinality_overflow_total}
   */
  public CardinalityGuard(
      String metricName,
      String[] labelNames,
      int limit,
      Function<String[], D> binder,
      BiFunction<D, CounterDataPoint, D> overflowWrapper,
      CounterDataPoint overflowCounter) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "Metric '" + metricName + "': cardinality limit must be at least 1, was " + limit);
    }
    this.metricName = metricName;
    this.labelNames = labelNames.clone();
    this.limit = limit;
    this.binder = binder;
    this.overflowWrapper = overflowWrapper;
    this.overflowCounter = overflowCounter;
  }

  /** Returns the series for these label values, or the overflow series past the limit. */
  public D bind(String... labelValues) {
    D known = series.get(Arrays.asList(labelValues));
    if (known != null) {
      return known;
    }
    // Series are never removed, so once the overflow series exists the limit stays reached:
    // unknown label sets go to it without taking the lock (a high-cardinality label must not
    // turn every call-time bind into a contended lock).
    D other = overflow;
    if (other != null) {
      checkLabelValues(labelValues);
      return other;
    }
    return bindNew(labelValues);
  }

  /** Number of distinct label sets bound so far (the overflow series not included). */
  public int size() {
    return series.size();
  }

  /** The cap on distinct label sets. */
  public int limit() {
    return limit;
  }

  private synchronized D bindNew(String[] labelValues) {
    checkLabelValues(labelValues);
    List<String> key = List.of(labelValues);
    D known = series.get(key);
    if (known != null) {
      return known;
    }
    if (series.size() < limit) {
      D created = binder.apply(labelValues.clone());
      series.put(key, created);
      return created;
    }
    if (overflow == null) {
      String[] other = new String[labelNames.length];
      Arrays.fill(other, OVERFLOW_VALUE);
      overflow = overflowWrapper.apply(binder.apply(other), overflowCounter);
      warnOnce(labelValues);
    }
    return overflow;
  }

  private void checkLabelValues(String[] labelValues) {
    if (labelValues.length != labelNames.length) {
      throw new IllegalArgumentException("Metric '" + metricName + "' has labels "
          + Arrays.toString(labelNames) + " but " + labelValues.length
          + " label values were given: " + Arrays.toString(labelValues));
    }
    for (int i = 0; i < labelValues.length; i++) {
      if (labelValues[i] == null) {
        throw new IllegalArgumentException("Metric '" + metricName + "': the value of label '"
            + labelNames[i] + "' must not be null");
      }
    }
  }

  private void warnOnce(String[] rejected) {
    int widest = 0;
    int widestCount = -1;
    for (int i = 0; i < labelNames.length; i++) {
      Set<String> distinct = new HashSet<>();
      for (List<String> key : series.keySet()) {
        distinct.add(key.get(i));
      }
      if (distinct.size() > widestCount) {
        widestCount = distinct.size();
        widest = i;
      }
    }
    String label = labelNames.length == 0 ? "(none)" : labelNames[widest];
    LOG.warn("Metric '{}' reached its cardinality limit of {} label sets; new label sets are"
            + " recorded with every label = {} and counted in"
            + " telemetrykit_cardinality_overflow_total{metric=\"{}\"}. Label '{}' grew most"
            + " ({} distinct values; first rejected value '{}'): bind it to a bounded set of"
            + " values (e.g. a route template) or raise TELEMETRYKIT_CARDINALITY_LIMIT.",
        metricName, limit, OVERFLOW_VALUE, metricName, label, widestCount,
        labelNames.length == 0 ? "" : abbreviate(rejected[widest]));
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }
}
