package dev.telemetrykit.core.internal;

import dev.telemetrykit.core.redaction.Redactor;
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
 * <p>A new label set also passes the redaction engine, under the same lock and never again
 * for that set: a value holding a secret is replaced by the mask in the series (the raw value
 * stays only as this map's key, in memory), counted in
 * {@code telemetrykit_redactions_total{signal="metric"}}, and one WARN line per label names the
 * metric and the label, never the value.
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
  private final Redactor redactor;
  private final boolean[] warnedSecret;
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
    this(metricName, labelNames, limit, binder, overflowWrapper, overflowCounter, null);
  }

  /**
   * As the other constructor, with the redaction engine that checks each new label set
   * ({@code null}: no check).
   */
  public CardinalityGuard(
      String metricName,
      String[] labelNames,
      int limit,
      Function<String[], D> binder,
      BiFunction<D, CounterDataPoint, D> overflowWrapper,
      CounterDataPoint overflowCounter,
      Redactor redactor) {
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
    this.redactor = redactor;
    this.warnedSecret = new boolean[labelNames.length];
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
      D created = binder.apply(redacted(labelValues));
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

  /** The label values with secrets masked; a copy, since the caller may reuse its array. */
  private String[] redacted(String[] labelValues) {
    String[] out = labelValues.clone();
    if (redactor == null) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      String safe;
      try {
        safe = redactor.redact(out[i]);
      } catch (RuntimeException e) {
        safe = redactor.mask();
      }
      if (safe != out[i]) {
        out[i] = safe;
        if (!warnedSecret[i]) {
          warnedSecret[i] = true;
          LOG.warn("Metric '{}': a value of label '{}' held a secret (card number, key, token,"
                  + " ...); it is recorded masked and counted in"
                  + " telemetrykit_redactions_total{signal=\"metric\"}. Label values are public"
                  + " on /metrics: bind this label to a bounded, non-secret value.",
              metricName, labelNames[i]);
        }
      }
    }
    return out;
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
        labelNames.length == 0 ? "" : abbreviate(redactor == null ? rejected[widest]
            : redactor.forSignal(dev.telemetrykit.core.redaction.Signal.LOG).redact(rejected[widest])));
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }
}
