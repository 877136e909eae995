package dev.telemetrykit.core.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StripedHistogramTest {

  private static final double[] BOUNDS = {0.005, 0.01, 0.1, 1, 10};
  /** The bounds (a value equal to a bound is in its bucket), values near them, below 0, +Inf. */
  private static final double[] VALUES = {0.005, 0.0051, 0.01, 0, -3, 0.1, 0.099, 1, 7.5, 10,
      10.0001, 1e9, Double.POSITIVE_INFINITY, 0.25, 0.25, 0.25};

  @Test
  void exposesExactlyWhatClientJavasHistogramExposesForTheSameObservations() throws IOException {
    StripedHistogram striped = new StripedHistogram("checkout_duration_seconds", "Checkout",
        new String[] {"step", "outcome"}, BOUNDS, false);
    Histogram reference = Histogram.builder().name("checkout_duration_seconds").help("Checkout")
        .labelNames("step", "outcome").classicOnly().classicUpperBounds(BOUNDS)
        .withoutExemplars().build();
    for (String[] labels : List.of(new String[] {"pay", "ok"}, new String[] {"ship", "error"})) {
      for (double v : VALUES) {
        striped.labelValues(labels).observe(v);
        reference.labelValues(labels).observe(v);
      }
    }
    striped.labelValues("empty", "ok");
    reference.labelValues("empty", "ok");
    striped.labelValues("nan", "ok").observe(Double.NaN);
    reference.labelValues("nan", "ok").observe(Double.NaN);

    assertThat(text(striped)).isEqualTo(text(reference)).contains(
        "checkout_duration_seconds_bucket{outcome=\"ok\",step=\"pay\",le=\"0.005\"} 3",
        "checkout_duration_seconds_bucket{outcome=\"ok\",step=\"pay\",le=\"10.0\"} 13",
        "checkout_duration_seconds_bucket{outcome=\"ok\",step=\"pay\",le=\"+Inf\"} 16",
        "checkout_duration_seconds_count{outcome=\"ok\",step=\"nan\"} 0");
    assertThat(openMetrics(striped)).isEqualTo(openMetrics(reference));
  }

  @Test
  void countAndSumOfABoundSeriesAreItsObservations() {
    StripedHistogram histogram = new StripedHistogram("job_seconds", "", new String[0],
        BOUNDS, true);
    DistributionDataPoint series = histogram.labelValues();
    series.observe(0.5);
    series.observe(2);
    series.observe(Double.NaN);
    assertThat(series.getCount()).isEqualTo(2);
    assertThat(series.getSum()).isEqualTo(2.5);
    assertThat(histogram.labelValues()).isSameAs(series);
  }

  @Test
  void stripesAreCreatedOnlyByTheThreadsThatRecord() throws InterruptedException {
    StripedHistogram histogram = new StripedHistogram("job_seconds", "", new String[] {"job"},
        BOUNDS, false);
    StripedHistogram.Series quiet = histogram.labelValues("quiet");
    StripedHistogram.Series single = histogram.labelValues("single");
    for (int i = 0; i < 1000; i++) {
      single.observe(0.5);
    }
    assertThat(quiet.stripesAllocated()).isZero();
    assertThat(single.stripesAllocated()).isEqualTo(1);

    // Another thread adds its own stripe, unless its ID lands on this thread's stripe (IDs a
    // multiple of Stripes.COUNT apart).
    Thread other = new Thread(() -> single.observe(0.5));
    other.start();
    other.join();
    assertThat(single.stripesAllocated()).isBetween(1, 2);
    assertThat(single.getCount()).isEqualTo(1001);
  }

  @Test
  void wrongNumberOfLabelValuesIsRefusedNamingTheMetric() {
    StripedHistogram histogram = new StripedHistogram("job_seconds", "", new String[] {"job"},
        BOUNDS, true);
    assertThatThrownBy(() -> histogram.labelValues("a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job_seconds").hasMessageContaining("[job]");
  }

  /**
   * Scrapes race the writers: every snapshot's +Inf bucket equals its count, counts never go
   * down from one scrape to the next, and once the writers are done the totals are exact.
   */
  @Test
  void scrapesDuringConcurrentObservationsAreMonotonicAndTheEndIsExact() throws Exception {
    StripedHistogram histogram = new StripedHistogram("work_seconds", "", new String[] {"k"},
        BOUNDS, true);
    DistributionDataPoint series = histogram.labelValues("x");
    int threads = 6;
    int perThread = 200_000;
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      double value = VALUES[t];
      Thread w = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          series.observe(value == Double.POSITIVE_INFINITY ? 1 : Math.abs(value));
        }
      });
      writers.add(w);
      w.start();
    }
    Thread closer = new Thread(() -> {
      for (Thread w : writers) {
        try {
          w.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      done.set(true);
    });
    closer.start();
    long previous = 0;
    int scrapes = 0;
    while (!done.get() || scrapes == 0) {
      HistogramDataPointSnapshot point = histogram.collect().getDataPoints().get(0);
      long count = point.getCount();
      assertThat(count).isGreaterThanOrEqualTo(previous);
      long cumulative = 0;
      for (int b = 0; b < point.getClassicBuckets().size(); b++) {
        cumulative += point.getClassicBuckets().getCount(b);
      }
      assertThat(cumulative).isEqualTo(count);
      previous = count;
      scrapes++;
    }
    closer.join();
    HistogramSnapshot end = histogram.collect();
    assertThat(end.getDataPoints().get(0).getCount()).isEqualTo((long) threads * perThread);
    double expectedSum = 0;
    for (int t = 0; t < threads; t++) {
      expectedSum += (VALUES[t] == Double.POSITIVE_INFINITY ? 1 : Math.abs(VALUES[t])) * perThread;
    }
    assertThat(series.getSum()).isCloseTo(expectedSum, org.assertj.core.data.Offset.offset(1e-6));
  }

  private static String text(io.prometheus.metrics.model.registry.Collector collector)
      throws IOException {
    return write(collector, false);
  }

  private static String openMetrics(io.prometheus.metrics.model.registry.Collector collector)
      throws IOException {
    return write(collector, true);
  }

  private static String write(io.prometheus.metrics.model.registry.Collector collector,
      boolean openMetrics) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    MetricSnapshots snapshots = registry.scrape();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (openMetrics) {
      OpenMetricsTextFormatWriter.create().write(out, snapshots);
    } else {
      PrometheusTextFormatWriter.create().write(out, snapshots);
    }
    // The created timestamps differ by construction time; everything else must be identical.
    return out.toString(StandardCharsets.UTF_8).replaceAll("(?m)^.*_created.*\n", "");
  }
}
