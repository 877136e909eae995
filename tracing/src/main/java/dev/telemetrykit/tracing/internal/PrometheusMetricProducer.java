package dev.telemetrykit.tracing.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the {@link PrometheusRegistry} snapshot — the same one a scrape serializes — into
 * OpenTelemetry {@link MetricData}, so the SDK's periodic reader and OTLP exporter push exactly
 * what Prometheus would scrape.
 *
 * <p>Mapping (the rule is written down in {@code docs/CONVENTIONS.md}):
 * <ul>
 *   <li>names: the Prometheus name as scraped, counters with {@code _total}; a Collector's
 *       {@code prometheus}/{@code prometheusremotewrite} exporter then reproduces the scrape's
 *       names (it does not add a unit or {@code _total} suffix that is already there);
 *   <li>counters → monotonic cumulative double sums; gauges, unknown → double gauges; info
 *       (other than {@code target_info}) → gauge 1; state sets → gauge 1/0 per state;
 *   <li>classic histograms → explicit-bucket histograms: same bounds (without {@code +Inf}),
 *       per-bucket counts, count and sum; summaries → summaries;
 *   <li>{@code target_info}'s {@code service_*} labels → {@code service.*} resource attributes
 *       (they equal the SDK's resource, which TelemetryKit sets from the same values);
 *   <li>exemplars keep their value, time and trace/span ID as the exemplar's span context;
 *   <li>unit {@code s} for names ending in {@code _seconds}, {@code By} for {@code _bytes}.
 * </ul>
 *
 * <p>It is not registered on the {@code SdkMeterProvider}'s readers blindly: a producer feeds
 * every reader, including the pull reader TelemetryKit reads during each Prometheus scrape,
 * which would convert the whole registry on every scrape and call itself again through the
 * registry's callbacks. {@link #suppressed(java.util.function.Supplier)} marks such reads.
 */
public final class PrometheusMetricProducer implements MetricProducer {

  /** Instrumentation scope of every exported metric. */
  public static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("dev.telemetrykit.prometheus").build();

  private static final ThreadLocal<Boolean> SUPPRESSED = new ThreadLocal<>();
  private static final Map<String, String> RESOURCE_LABELS = Map.of(
      "service_name", "service.name",
      "service_version", "service.version",
      "service_instance_id", "service.instance.id");

  private final PrometheusRegistry registry;
  private final long startEpochNanos;

  /** Produces from this registry; points without a created time start at construction. */
  public PrometheusMetricProducer(PrometheusRegistry registry) {
    this.registry = registry;
    this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
  }

  /**
   * Runs a collection in which this producer contributes nothing on this thread (for readers
   * that only want the SDK's own metrics), and keeps a producer from re-entering itself.
   */
  public static <T> T suppressed(java.util.function.Supplier<T> collection) {
    Boolean before = SUPPRESSED.get();
    SUPPRESSED.set(Boolean.TRUE);
    try {
      return collection.get();
    } finally {
      if (before == null) {
        SUPPRESSED.remove();
      }
    }
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    if (SUPPRESSED.get() != null) {
      return Collections.emptyList();
    }
    return suppressed(() -> convert(registry.scrape(), resource,
        TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis())));
  }

  /** Converts one snapshot; public for tests that compare against the same snapshot. */
  public List<MetricData> convert(MetricSnapshots snapshots, Resource sdkResource, long now) {
    Resource resource = sdkResource;
    for (MetricSnapshot s : snapshots) {
      if (s instanceof InfoSnapshot && "target".equals(s.getMetadata().getName())) {
        resource = resource.merge(targetInfo((InfoSnapshot) s));
      }
    }
    List<MetricData> out = new ArrayList<>(snapshots.size());
    for (MetricSnapshot s : snapshots) {
      if (s.getDataPoints().isEmpty()) {
        continue;
      }
      String base = s.getMetadata().getPrometheusName();
      String help = s.getMetadata().getHelp() == null ? "" : s.getMetadata().getHelp();
      if (s instanceof CounterSnapshot) {
        List<DoublePointData> points = new ArrayList<>();
        for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
          points.add(DoublePointData.create(start(p), now, attributes(p.getLabels()),
              p.getValue(), exemplars(p.getExemplar())));
        }
        out.add(new Metric(resource, base + "_total", help, unit(base), MetricDataType.DOUBLE_SUM,
            SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points)));
      } else if (s instanceof GaugeSnapshot) {
        List<DoublePointData> points = new ArrayList<>();
        for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) s).getDataPoints()) {
          points.add(DoublePointData.create(start(p), now, attributes(p.getLabels()),
              p.getValue(), exemplars(p.getExemplar())));
        }
        out.add(gauge(resource, base, help, points));
      } else if (s instanceof UnknownSnapshot) {
        List<DoublePointData> points = new ArrayList<>();
        for (UnknownSnapshot.UnknownDataPointSnapshot p : ((UnknownSnapshot) s).getDataPoints()) {
          points.add(DoublePointData.create(start(p), now, attributes(p.getLabels()),
              p.getValue(), exemplars(p.getExemplar())));
        }
        out.add(gauge(resource, base, help, points));
      } else if (s instanceof HistogramSnapshot) {
        List<HistogramPointData> points = new ArrayList<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot p
            : ((HistogramSnapshot) s).getDataPoints()) {
          if (p.hasClassicHistogramData()) {
            points.add(histogramPoint(p, now));
          }
          // A native-only histogram has no explicit buckets; it is not exported (none of
          // TelemetryKit's histograms is native-only).
        }
        if (!points.isEmpty()) {
          out.add(new Metric(resource, base, help, unit(base), MetricDataType.HISTOGRAM,
              HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
        }
      } else if (s instanceof SummarySnapshot) {
        List<SummaryPointData> points = new ArrayList<>();
        for (SummarySnapshot.SummaryDataPointSnapshot p : ((SummarySnapshot) s).getDataPoints()) {
          List<ValueAtQuantile> quantiles = new ArrayList<>();
          for (Quantile q : p.getQuantiles()) {
            quantiles.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
          }
          points.add(SummaryPointData.create(start(p), now, attributes(p.getLabels()),
              p.hasCount() ? p.getCount() : 0, p.hasSum() ? p.getSum() : 0, quantiles));
        }
        out.add(new Metric(resource, base, help, unit(base), MetricDataType.SUMMARY,
            SummaryData.create(points)));
      } else if (s instanceof InfoSnapshot) {
        if ("target".equals(s.getMetadata().getName())) {
          continue;   // became resource attributes
        }
        List<DoublePointData> points = new ArrayList<>();
        for (InfoSnapshot.InfoDataPointSnapshot p : ((InfoSnapshot) s).getDataPoints()) {
          points.add(DoublePointData.create(start(p), now, attributes(p.getLabels()), 1,
              List.of()));
        }
        out.add(gauge(resource, base + "_info", help, points));
      } else if (s instanceof StateSetSnapshot) {
        List<DoublePointData> points = new ArrayList<>();
        for (StateSetSnapshot.StateSetDataPointSnapshot p
            : ((StateSetSnapshot) s).getDataPoints()) {
          for (int i = 0; i < p.size(); i++) {
            Attributes a = attributes(p.getLabels()).toBuilder().put(base, p.getName(i)).build();
            points.add(DoublePointData.create(start(p), now, a, p.isTrue(i) ? 1 : 0, List.of()));
          }
        }
        out.add(gauge(resource, base, help, points));
      }
    }
    return out;
  }

  private HistogramPointData histogramPoint(HistogramSnapshot.HistogramDataPointSnapshot p,
      long now) {
    ClassicHistogramBuckets buckets = p.getClassicBuckets();
    List<Double> bounds = new ArrayList<>(buckets.size());
    List<Long> counts = new ArrayList<>(buckets.size());
    long total = 0;
    for (int i = 0; i < buckets.size(); i++) {
      double upper = buckets.getUpperBound(i);
      if (upper != Double.POSITIVE_INFINITY) {
        bounds.add(upper);
      }
      counts.add(buckets.getCount(i));
      total += buckets.getCount(i);
    }
    if (counts.size() == bounds.size()) {
      counts.add(0L);   // OTLP always has the +Inf bucket
    }
    List<DoubleExemplarData> exemplars = new ArrayList<>();
    for (Exemplar e : p.getExemplars()) {
      exemplars.add(exemplar(e));
    }
    long count = p.hasCount() ? p.getCount() : total;
    return new HistogramPoint(start(p), now, attributes(p.getLabels()),
        p.hasSum() ? p.getSum() : 0, count, List.copyOf(bounds), List.copyOf(counts),
        List.copyOf(exemplars));
  }

  private long start(DataPointSnapshot p) {
    return p.hasCreatedTimestamp()
        ? TimeUnit.MILLISECONDS.toNanos(p.getCreatedTimestampMillis()) : startEpochNanos;
  }

  private static Metric gauge(Resource resource, String name, String help,
      List<DoublePointData> points) {
    GaugeData<DoublePointData> data = GaugeData.createDoubleGaugeData(points);
    return new Metric(resource, name, help, unit(name), MetricDataType.DOUBLE_GAUGE, data);
  }

  /** {@code s} / {@code By} from the Prometheus unit suffix; no unit otherwise. */
  static String unit(String name) {
    String n = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    if (n.endsWith("_seconds")) {
      return "s";
    }
    if (n.endsWith("_bytes")) {
      return "By";
    }
    return "";
  }

  private static Resource targetInfo(InfoSnapshot info) {
    AttributesBuilder b = Attributes.builder();
    for (InfoSnapshot.InfoDataPointSnapshot p : info.getDataPoints()) {
      Labels labels = p.getLabels();
      for (int i = 0; i < labels.size(); i++) {
        String key = RESOURCE_LABELS.get(labels.getName(i));
        if (key != null) {
          b.put(key, labels.getValue(i));
        }
      }
    }
    return Resource.create(b.build());
  }

  private static Attributes attributes(Labels labels) {
    if (labels.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < labels.size(); i++) {
      b.put(labels.getName(i), labels.getValue(i));
    }
    return b.build();
  }

  private static List<DoubleExemplarData> exemplars(Exemplar e) {
    return e == null ? List.of() : List.of(exemplar(e));
  }

  private static DoubleExemplarData exemplar(Exemplar e) {
    Labels labels = e.getLabels();
    String traceId = labels.get(Exemplar.TRACE_ID);
    String spanId = labels.get(Exemplar.SPAN_ID);
    SpanContext context = traceId != null && spanId != null
        ? SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault())
        : SpanContext.getInvalid();
    AttributesBuilder filtered = Attributes.builder();
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.getName(i);
      if (!name.equals(Exemplar.TRACE_ID) && !name.equals(Exemplar.SPAN_ID)) {
        filtered.put(name, labels.getValue(i));
      }
    }
    long millis = e.hasTimestamp() ? e.getTimestampMillis() : System.currentTimeMillis();
    return DoubleExemplarData.create(filtered.build(), TimeUnit.MILLISECONDS.toNanos(millis),
        context, e.getValue());
  }

  /** Exemplars of a histogram survive only here: the SDK's factory method takes none. */
  private record HistogramPoint(long getStartEpochNanos, long getEpochNanos,
      Attributes getAttributes, double getSum, long getCount, List<Double> getBoundaries,
      List<Long> getCounts, List<DoubleExemplarData> getExemplars) implements HistogramPointData {

    @Override
    public boolean hasMin() {
      return false;
    }

    @Override
    public double getMin() {
      return Double.NaN;
    }

    @Override
    public boolean hasMax() {
      return false;
    }

    @Override
    public double getMax() {
      return Double.NaN;
    }
  }

  /** The SDK offers no public factory for {@link MetricData} itself. */
  private record Metric(Resource getResource, String getName, String getDescription,
      String getUnit, MetricDataType getType, Data<?> getData) implements MetricData {

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }
  }
}
