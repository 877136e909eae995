package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.internal.CardinalityGuard;
import dev.telemetrykit.core.internal.Names;
import dev.telemetrykit.core.internal.OverflowDataPoints;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Creates TelemetryKit's metrics: counters, gauges and classic histograms whose label sets are
 * capped by the cardinality guard, and callback gauges/counters that never fail a scrape.
 * Reached as {@code telemetry.meters()}.
 *
 * <pre>{@code
 * Meters meters = telemetry.meters();
 * GuardedCounter orders = meters.counter("orders_created_total")
 *     .help("Orders accepted").labelNames("channel").register();
 * GuardedHistogram latency = meters.histogram("checkout_duration_seconds")
 *     .help("Checkout time").register();                    // seconds buckets by default
 * orders.labelValues("web").inc();
 * latency.labelValues().observe(0.25);
 * }</pre>
 *
 * <p><b>Get or create.</b> Registering a name again with the same type, label names (and
 * buckets) returns the metric already registered, so two instrumented components can share
 * one metric. The same name with another type, labels or buckets throws
 * {@link IllegalArgumentException} naming the metric — at registration, never when recording.
 *
 * <p><b>Cardinality.</b> Each metric keeps at most {@link #cardinalityLimit()} distinct label
 * sets ({@code TELEMETRYKIT_CARDINALITY_LIMIT}, default 2000, like the OpenTelemetry SDK).
 * Past it, new label sets are recorded into one series whose label values are all
 * {@code _OTHER}; existing series keep recording; each folded recording is counted in
 * {@code telemetrykit_cardinality_overflow_total{metric}}, and one WARN log line names the
 * label whose distinct values grew most.
 *
 * <p>Metric names must match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and label names
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class Meters {

  /** Metric counting recordings folded into an overflow series. */
  public static final String CARDINALITY_OVERFLOW_METRIC = "telemetrykit_cardinality_overflow_total";

  private final PrometheusRegistry registry;
  private final int cardinalityLimit;
  private final InstrumentationErrors errors;
  private final Counter overflowCounter;
  private final ConcurrentHashMap<String, Registered> byName = new ConcurrentHashMap<>();
  private final List<Collector> collectors = new ArrayList<>();

  /**
   * Used by {@code TelemetryKit}; applications get theirs from {@code telemetry.meters()}.
   *
   * @param overflowCounter the {@value #CARDINALITY_OVERFLOW_METRIC} counter, label
   *     {@code metric}, already registered
   */
  public Meters(
      PrometheusRegistry registry,
      int cardinalityLimit,
      InstrumentationErrors errors,
      Counter overflowCounter) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.overflowCounter = Objects.requireNonNull(overflowCounter, "overflowCounter");
    if (cardinalityLimit < 1) {
      throw new IllegalArgumentException("cardinalityLimit must be >= 1, was " + cardinalityLimit);
    }
    this.cardinalityLimit = cardinalityLimit;
  }

  /** The registry the metrics are registered in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Default cap on distinct label sets per metric. */
  public int cardinalityLimit() {
    return cardinalityLimit;
  }

  /** Where instrumentation built on these meters reports its own failures. */
  public InstrumentationErrors errors() {
    return errors;
  }

  /** Starts a counter; the name may end in {@code _total} (it is exposed with it either way). */
  public CounterBuilder counter(String name) {
    return new CounterBuilder(name);
  }

  /** Starts a classic histogram, by default with client_java's seconds buckets (5 ms–10 s). */
  public HistogramBuilder histogram(String name) {
    return new HistogramBuilder(name);
  }

  /** Starts a gauge that the application sets. */
  public GaugeBuilder gauge(String name) {
    return new GaugeBuilder(name);
  }

  /** Starts a gauge read from sources at scrape time. */
  public CallbackBuilder callbackGauge(String name) {
    return new CallbackBuilder(name, false);
  }

  /** Starts a counter read from sources at scrape time (monotonic values, e.g. task counts). */
  public CallbackBuilder callbackCounter(String name) {
    return new CallbackBuilder(name, true);
  }

  /** Unregisters every metric created here; used when TelemetryKit closes. */
  public void unregisterAll() {
    synchronized (collectors) {
      for (Collector c : collectors) {
        registry.unregister(c);
      }
      collectors.clear();
      byName.clear();
    }
  }

  /** Common builder options. */
  public abstract class Builder<B extends Builder<B>> {
    final String name;
    String help = "";
    String[] labelNames = new String[0];
    int limit = cardinalityLimit;

    Builder(String name) {
      Names.checkMetricName(name);
      this.name = name;
    }

    /** The HELP text. */
    public B help(String help) {
      this.help = Objects.requireNonNull(help, "help");
      return self();
    }

    /** The label names, in the order label values will be given. */
    public B labelNames(String... labelNames) {
      Names.checkLabelNames(name, labelNames);
      this.labelNames = labelNames.clone();
      return self();
    }

    /** Overrides the cap on distinct label sets for this metric. */
    public B cardinalityLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException(
            "Metric '" + name + "': cardinality limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return self();
    }

    @SuppressWarnings("unchecked")
    B self() {
      return (B) this;
    }

    String key() {
      return name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    }

    <M> M getOrCreate(String type, double[] buckets, Class<M> kind,
        java.util.function.Supplier<M> create) {
      Registered existing = byName.get(key());
      if (existing == null) {
        synchronized (collectors) {
          existing = byName.get(key());
          if (existing == null) {
            M created = create.get();
            byName.put(key(), new Registered(type, labelNames, buckets, created));
            return created;
          }
        }
      }
      if (!existing.type.equals(type) || !Arrays.equals(existing.labelNames, labelNames)
          || !Arrays.equals(existing.buckets, buckets)) {
        throw new IllegalArgumentException("Metric '" + name + "' is already registered as "
            + existing.describe() + "; cannot register it again as "
            + new Registered(type, labelNames, buckets, null).describe());
      }
      return kind.cast(existing.metric);
    }

    <D extends DataPoint, S extends StatefulMetric<D, ?>> CardinalityGuard<D> guard(
        S metric, BiFunction<D, CounterDataPoint, D> overflowWrapper) {
      if (labelNames.length == 0) {
        return null;
      }
      return new CardinalityGuard<>(name, labelNames, limit, metric::labelValues,
          overflowWrapper, overflowCounter.labelValues(name));
    }

    void add(Collector collector) {
      registry.register(collector);
      collectors.add(collector);
    }
  }

  /** Builds a {@link GuardedCounter}. */
  public final class CounterBuilder extends Builder<CounterBuilder> {
    CounterBuilder(String name) {
      super(name);
    }

    /** Registers (or returns the same counter already registered). */
    public GuardedCounter register() {
      return getOrCreate("counter", null, GuardedCounter.class, () -> {
        Counter counter = Counter.builder().name(name).help(help).labelNames(labelNames).build();
        add(counter);
        return new GuardedCounter(name, labelNames, labelNames.length == 0 ? counter : null,
            guard(counter, OverflowDataPoints::counter));
      });
    }
  }

  /** Builds a {@link GuardedGauge}. */
  public final class GaugeBuilder extends Builder<GaugeBuilder> {
    GaugeBuilder(String name) {
      super(name);
    }

    /** Registers (or returns the same gauge already registered). */
    public GuardedGauge register() {
      return getOrCreate("gauge", null, GuardedGauge.class, () -> {
        Gauge gauge = Gauge.builder().name(name).help(help).labelNames(labelNames).build();
        add(gauge);
        return new GuardedGauge(name, labelNames, labelNames.length == 0 ? gauge : null,
            guard(gauge, OverflowDataPoints::gauge));
      });
    }
  }

  /** Builds a {@link GuardedHistogram} with classic buckets. */
  public final class HistogramBuilder extends Builder<HistogramBuilder> {
    private double[] buckets = Histogram.Builder.DEFAULT_CLASSIC_UPPER_BOUNDS.clone();

    HistogramBuilder(String name) {
      super(name);
    }

    /** Upper bounds of the classic buckets, strictly increasing ({@code +Inf} is implied). */
    public HistogramBuilder buckets(double... upperBounds) {
      if (upperBounds == null || upperBounds.length == 0) {
        throw new IllegalArgumentException("Metric '" + name + "': give at least one bucket");
      }
      for (int i = 0; i < upperBounds.length; i++) {
        if (Double.isNaN(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
          throw new IllegalArgumentException("Metric '" + name
              + "': bucket bounds must be strictly increasing numbers, got "
              + Arrays.toString(upperBounds));
        }
      }
      this.buckets = upperBounds.clone();
      return this;
    }

    /** Registers (or returns the same histogram already registered). */
    public GuardedHistogram register() {
      return getOrCreate("histogram", buckets, GuardedHistogram.class, () -> {
        Histogram histogram = Histogram.builder().name(name).help(help).labelNames(labelNames)
            .classicOnly().classicUpperBounds(buckets).build();
        add(histogram);
        return new GuardedHistogram(name, labelNames, labelNames.length == 0 ? histogram : null,
            guard(histogram, OverflowDataPoints::distribution));
      });
    }
  }

  /** Builds a {@link CallbackFamily}. */
  public final class CallbackBuilder extends Builder<CallbackBuilder> {
    private final boolean counter;
    private String component;

    CallbackBuilder(String name, boolean counter) {
      super(name);
      this.counter = counter;
    }

    /**
     * The {@code component} label under which failing sources are counted in
     * {@code telemetrykit_instrumentation_errors_total}; defaults to the metric name.
     */
    public CallbackBuilder component(String component) {
      this.component = Objects.requireNonNull(component, "component");
      return this;
    }

    /** Registers (or returns the same family already registered). */
    public CallbackFamily register() {
      String type = counter ? "callback counter" : "callback gauge";
      return getOrCreate(type, null, CallbackFamily.class, () -> {
        CallbackFamily family = new CallbackFamily(name,
            component == null ? name : component, labelNames.length, errors);
        Collector collector;
        if (counter) {
          collector = CounterWithCallback.builder().name(name).help(help).labelNames(labelNames)
              .callback(cb -> family.collect(cb::call)).build();
        } else {
          collector = GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames)
              .callback(cb -> family.collect(cb::call)).build();
        }
        add(collector);
        return family;
      });
    }
  }

  private static final class Registered {
    final String type;
    final String[] labelNames;
    final double[] buckets;
    final Object metric;

    Registered(String type, String[] labelNames, double[] buckets, Object metric) {
      this.type = type;
      this.labelNames = labelNames.clone();
      this.buckets = buckets;
      this.metric = metric;
    }

    String describe() {
      return "a " + type + " with labels " + Arrays.toString(labelNames)
          + (buckets == null ? "" : " and buckets " + Arrays.toString(buckets));
    }
  }
}
