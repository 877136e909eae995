package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.Stripes;
import io.prometheus.metrics.config.MetricsProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.exemplars.ExemplarSampler;
import io.prometheus.metrics.core.exemplars.ExemplarSamplerConfig;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A classic histogram whose series count in per-thread stripes, exposed through the registry
 * as an ordinary {@link HistogramSnapshot}.
 *
 * <p>Why not client_java's {@code Histogram}: every observation there first increments an
 * observation counter the scrape uses for consistency (striped by CPU count into
 * {@code AtomicLong}s that sit next to each other in memory), then three {@code LongAdder}s
 * and a {@code DoubleAdder}: about 18 cache lines touched per observation, several of them
 * written by every thread. On a server whose workers share one series (every request of a
 * route), one observe took 24 ns on one thread and 58 ns on two (JMH), and the HTTP server
 * filter makes two per request. Here an observation writes one stripe, chosen by thread ID:
 * one bucket count and the sum, two atomic adds on lines no other running thread writes.
 *
 * <p>Stripes are allocated when a thread first records into them, so a series written by one
 * thread costs one stripe: with the 14 bucket bounds of the HTTP durations, 272 bytes (the cells
 * and 64 bytes of padding on each side, so that stripes the garbage collector moves next to each
 * other still share no cache line). A series written by many threads holds up to
 * {@link Stripes#COUNT} stripes: 2.2 KB on a 2-CPU machine, 8.7 KB on 8 CPUs, 17 KB at most;
 * client_java's histogram under contention grows each of its 17 adders to one padded cell per
 * CPU (about 18 KB on 8 CPUs).
 *
 * <p>The snapshot adds the stripes up without stopping writers, so a scrape racing an
 * observation may see its bucket count before its sum (or the reverse); every count is exact
 * once recorded, and {@code _count} always equals the {@code +Inf} bucket. Exemplars are
 * client_java's own {@link ExemplarSampler}, configured as its histogram configures it.
 */
final class StripedHistogram implements Collector {

  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(long[][].class);
  /** Longs (64 bytes) kept free before and after a stripe's cells: no line shared with another. */
  private static final int PAD = 8;
  private static final int STRIPES = Stripes.COUNT;
  /**
   * Index of the sum's bits in a stripe. The bucket counts follow it (from {@link #FIRST}), so
   * an observation in a low bucket, the common case, writes one cache line, not two.
   */
  private static final int SUM = PAD;
  /** Index of the first bucket's count in a stripe. */
  private static final int FIRST = PAD + 1;

  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final double[] upperBounds;
  private final ExemplarSamplerConfig exemplarConfig;
  private final ConcurrentHashMap<List<String>, Series> series = new ConcurrentHashMap<>();

  /**
   * @param upperBounds strictly increasing bucket bounds, without {@code +Inf}
   * @param exemplars whether series keep exemplars (when client_java's properties allow)
   */
  StripedHistogram(String name, String help, String[] labelNames, double[] upperBounds,
      boolean exemplars) {
    this.metadata = new MetricMetadata(name, help);
    this.labelNames = labelNames.clone();
    double[] bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
    bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    this.upperBounds = bounds;
    PrometheusProperties properties = PrometheusProperties.get();
    MetricsProperties own = properties.getMetricProperties(name);
    Boolean enabled = own != null ? own.getExemplarsEnabled() : null;
    if (enabled == null) {
      enabled = properties.getDefaultMetricProperties().getExemplarsEnabled();
    }
    this.exemplarConfig = exemplars && !Boolean.FALSE.equals(enabled)
        ? new ExemplarSamplerConfig(properties.getExemplarProperties(), bounds) : null;
  }

  /** The series of these label values (as many as label names), created on first use. */
  Series labelValues(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException("Metric '" + metadata.getName() + "' has labels "
          + Arrays.toString(labelNames) + " but " + values.length + " label values were given: "
          + Arrays.toString(values));
    }
    List<String> key = List.of(values);
    Series found = series.get(key);
    if (found != null) {
      return found;
    }
    return series.computeIfAbsent(key, k -> new Series(Labels.of(labelNames, values)));
  }

  @Override
  public HistogramSnapshot collect() {
    List<HistogramDataPointSnapshot> points = new ArrayList<>(series.size());
    for (Series s : series.values()) {
      points.add(s.snapshot());
    }
    return new HistogramSnapshot(metadata, points);
  }

  @Override
  public MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return MetricFamilyDescriptor.of(MetricType.HISTOGRAM, metadata, List.of(labelNames));
  }

  /** One label set: its stripes, created as threads first record into them. */
  final class Series implements DistributionDataPoint {
    private final Labels labels;
    private final long createdMillis = System.currentTimeMillis();
    // The bounds and the stripe table are read from this object and a plain array, not through
    // the enclosing histogram and an AtomicReferenceArray: in a server every line an observe
    // touches is a likely cache miss (the request path in between streams through kilobytes),
    // so two fewer lines per observe is worth more there than JMH shows.
    private final double[] bounds = upperBounds;
    private final long[][] stripes = new long[STRIPES][];
    private final ExemplarSampler exemplars;
    /** Index after the last bucket's count in a stripe. */
    private final int end = FIRST + upperBounds.length;

    Series(Labels labels) {
      this.labels = labels;
      this.exemplars = exemplarConfig == null ? null : new ExemplarSampler(exemplarConfig);
    }

    @Override
    public void observe(double value) {
      if (record(value) && exemplars != null) {
        exemplars.observe(value);
      }
    }

    @Override
    public void observeWithExemplar(double value, Labels exemplarLabels) {
      if (record(value) && exemplars != null) {
        exemplars.observeWithExemplar(value, exemplarLabels);
      }
    }

    private boolean record(double value) {
      // NaN is ignored, as client_java does (client_golang issue 1275).
      if (Double.isNaN(value)) {
        return false;
      }
      double[] bounds = this.bounds;
      int bucket = 0;
      // The last bound is +Inf, so the loop always stops.
      while (value > bounds[bucket]) {
        bucket++;
      }
      long[] cells = stripe();
      CELLS.getAndAdd(cells, FIRST + bucket, 1L);
      long bits;
      do {
        bits = (long) CELLS.getVolatile(cells, SUM);
      } while (!CELLS.compareAndSet(cells, SUM, bits,
          Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + value)));
      return true;
    }

    private long[] stripe() {
      int i = Stripes.current();
      long[] cells = (long[]) STRIPE.getAcquire(stripes, i);
      if (cells != null) {
        return cells;
      }
      long[] created = new long[end + PAD];
      return STRIPE.compareAndSet(stripes, i, null, created)
          ? created : (long[]) STRIPE.getAcquire(stripes, i);
    }

    @Override
    public long getCount() {
      long count = 0;
      for (int i = 0; i < STRIPES; i++) {
        long[] cells = (long[]) STRIPE.getAcquire(stripes, i);
        if (cells != null) {
          for (int b = FIRST; b < end; b++) {
            count += (long) CELLS.getVolatile(cells, b);
          }
        }
      }
      return count;
    }

    @Override
    public double getSum() {
      double sum = 0;
      for (int i = 0; i < STRIPES; i++) {
        long[] cells = (long[]) STRIPE.getAcquire(stripes, i);
        if (cells != null) {
          sum += Double.longBitsToDouble((long) CELLS.getVolatile(cells, SUM));
        }
      }
      return sum;
    }

    /** How many stripes threads have created so far (memory: see the class comment). */
    int stripesAllocated() {
      int n = 0;
      for (int i = 0; i < STRIPES; i++) {
        if ((long[]) STRIPE.getAcquire(stripes, i) != null) {
          n++;
        }
      }
      return n;
    }

    HistogramDataPointSnapshot snapshot() {
      long[] counts = new long[upperBounds.length];
      double sum = 0;
      for (int i = 0; i < STRIPES; i++) {
        long[] cells = (long[]) STRIPE.getAcquire(stripes, i);
        if (cells != null) {
          for (int b = 0; b < counts.length; b++) {
            counts[b] += (long) CELLS.getVolatile(cells, FIRST + b);
          }
          sum += Double.longBitsToDouble((long) CELLS.getVolatile(cells, SUM));
        }
      }
      return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(upperBounds, counts), sum,
          labels, exemplars == null ? Exemplars.EMPTY : exemplars.collect(), createdMillis);
    }
  }
}
