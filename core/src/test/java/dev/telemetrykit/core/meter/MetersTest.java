package dev.telemetrykit.core.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.internal.CardinalityGuard;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetersTest {

  @Test
  void eightThreadsTimesOneMillionIncrementsAreCountedExactly() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      GuardedCounter counter = kit.meters().counter("orders_created_total")
          .help("Orders").labelNames("channel").register();
      GuardedHistogram histogram = kit.meters().histogram("checkout_duration_seconds")
          .help("Checkout").labelNames("step").register();
      CounterDataPoint web = counter.labelValues("web");
      DistributionDataPoint pay = histogram.labelValues("payment");

      runOnThreads(8, () -> {
        for (int i = 0; i < 1_000_000; i++) {
          web.inc();
          pay.observe(0.25);
        }
      });

      assertThat(web.get()).isEqualTo(8_000_000.0);
      assertThat(pay.getCount()).isEqualTo(8_000_000L);
      assertThat(pay.getSum()).isEqualTo(2_000_000.0);
      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, "orders_created_total{channel=\"web\"}"))
          .isEqualTo(8_000_000.0);
      assertThat(Scrapes.value(scrape, "checkout_duration_seconds_count{step=\"payment\"}"))
          .isEqualTo(8_000_000.0);
      assertThat(Scrapes.value(scrape, "checkout_duration_seconds_sum{step=\"payment\"}"))
          .isEqualTo(2_000_000.0);
    }
  }

  @Test
  void pastTheLimitNewLabelSetsFoldIntoOneOtherSeriesCountedExactlyWithOneWarning()
      throws Exception {
    try (LogCapture log = LogCapture.of(CardinalityGuard.class);
        TelemetryKit kit = Kits.builder().cardinalityLimit(100).start()) {
      GuardedCounter logins = kit.meters().counter("logins_total")
          .help("Logins").labelNames("region", "user").register();
      String[] regions = {"eu", "us", "ap"};
      CounterDataPoint first = logins.labelValues("eu", "user-0");

      // 4 threads bind 10,000 distinct label sets at call time, 2,500 each.
      runOnThreads(4, t -> {
        for (int i = 0; i < 2_500; i++) {
          int n = t * 2_500 + i;
          logins.labelValues(regions[n % 3], "user-" + n).inc();
        }
      });
      first.inc();  // an existing series keeps recording past the limit

      String scrape = Scrapes.text(kit.metricsPort());
      List<String> series = Scrapes.lines(scrape, "logins_total{");
      assertThat(series).hasSize(101);
      assertThat(logins.seriesCount()).isEqualTo(100);
      assertThat(Scrapes.value(scrape, "logins_total{region=\"_OTHER\",user=\"_OTHER\"}"))
          .isEqualTo(9_900.0);
      assertThat(Scrapes.value(scrape,
          "telemetrykit_cardinality_overflow_total{metric=\"logins_total\"}"))
          .isEqualTo(9_900.0);
      assertThat(Scrapes.value(scrape, "logins_total{region=\"eu\",user=\"user-0\"}"))
          .isEqualTo(2.0);
      double sum = 0;
      for (String line : series) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      assertThat(sum).isEqualTo(10_001.0);

      assertThat(log.warnings()).singleElement().asString()
          .contains("'logins_total'")
          .contains("limit of 100")
          .contains("Label 'user' grew most")
          .contains("telemetrykit_cardinality_overflow_total{metric=\"logins_total\"}");
      assertNoPromtoolFindings(scrape);
    }
  }

  @Test
  void histogramAndGaugeOverflowAlsoCountEveryFoldedRecording() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      GuardedHistogram latency = kit.meters().histogram("lookup_duration_seconds")
          .help("Lookups").labelNames("key").cardinalityLimit(2).register();
      GuardedGauge level = kit.meters().gauge("tank_level")
          .help("Level").labelNames("tank").cardinalityLimit(1).register();
      for (int i = 0; i < 5; i++) {
        latency.labelValues("k" + i).observe(0.1);
        level.labelValues("t" + i).set(i);
      }
      level.labelValues("t9").inc();

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, "lookup_duration_seconds_count{key=\"_OTHER\"}"))
          .isEqualTo(3.0);
      assertThat(Scrapes.value(scrape,
          "telemetrykit_cardinality_overflow_total{metric=\"lookup_duration_seconds\"}"))
          .isEqualTo(3.0);
      assertThat(Scrapes.value(scrape, "tank_level{tank=\"_OTHER\"}")).isEqualTo(5.0);
      assertThat(Scrapes.value(scrape,
          "telemetrykit_cardinality_overflow_total{metric=\"tank_level\"}"))
          .isEqualTo(5.0);
      assertNoPromtoolFindings(scrape);
    }
  }

  @Test
  void registeringTheSameSpecAgainReturnsTheSameMetric() {
    try (TelemetryKit kit = Kits.start()) {
      Meters meters = kit.meters();
      GuardedCounter a = meters.counter("jobs_total").labelNames("queue").register();
      assertThat(meters.counter("jobs_total").help("other help").labelNames("queue").register())
          .isSameAs(a);
      assertThat(meters.counter("jobs").labelNames("queue").register()).isSameAs(a);
      GuardedHistogram h = meters.histogram("job_seconds").buckets(0.1, 1).register();
      assertThat(meters.histogram("job_seconds").buckets(0.1, 1).register()).isSameAs(h);
      CallbackFamily g = meters.callbackGauge("job_queue_depth").labelNames("queue").register();
      assertThat(meters.callbackGauge("job_queue_depth").labelNames("queue").register())
          .isSameAs(g);
    }
  }

  @Test
  void theSameNameWithAnotherTypeLabelsOrBucketsFailsNamingTheMetric() {
    try (TelemetryKit kit = Kits.start()) {
      Meters meters = kit.meters();
      meters.counter("jobs_total").labelNames("queue").register();
      meters.histogram("job_seconds").buckets(0.1, 1).register();

      assertThatThrownBy(() -> meters.gauge("jobs").labelNames("queue").register())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'jobs'").hasMessageContaining("counter");
      assertThatThrownBy(() -> meters.counter("jobs_total").labelNames("queue", "x").register())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'jobs_total'").hasMessageContaining("[queue]");
      assertThatThrownBy(() -> meters.histogram("job_seconds").buckets(0.5).register())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'job_seconds'").hasMessageContaining("buckets");
      assertThatThrownBy(() -> meters.callbackCounter("job_seconds").register())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'job_seconds'");
    }
  }

  @Test
  void invalidNamesAndLabelCountsFailAtRegistrationOrBindNamingTheMetric() {
    try (TelemetryKit kit = Kits.start()) {
      Meters meters = kit.meters();
      for (String bad : new String[] {"1orders", "orders-total", "orders total", "__x", "é"}) {
        assertThatThrownBy(() -> meters.counter(bad))
            .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
      }
      assertThatThrownBy(() -> meters.counter(""))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> meters.gauge("queue_depth").labelNames("queue-name"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'queue_depth'").hasMessageContaining("'queue-name'");
      assertThatThrownBy(() -> meters.gauge("queue_depth").labelNames("__name"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
      assertThatThrownBy(() -> meters.gauge("queue_depth").labelNames("a", "a"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
      assertThatThrownBy(() -> meters.histogram("h_seconds").buckets(1, 0.5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'h_seconds'");

      GuardedCounter c = meters.counter("sends_total").labelNames("topic").register();
      assertThatThrownBy(() -> c.labelValues("a", "b"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sends_total'");
      assertThatThrownBy(() -> c.labelValues((String) null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'topic'");
      GuardedCounter plain = meters.counter("ticks_total").register();
      assertThatThrownBy(() -> plain.labelValues("x"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ticks_total'");
      CallbackFamily family = meters.callbackGauge("pool_size").labelNames("pool").register();
      assertThatThrownBy(() -> family.add(() -> 1, "a", "b"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pool_size'");
    }
  }

  @Test
  void aThrowingCallbackIsSkippedCountedAndWarnedOnceWhileTheScrapeSucceeds() {
    try (LogCapture log = LogCapture.of(InstrumentationErrors.class);
        TelemetryKit kit = Kits.start()) {
      CallbackFamily depth = kit.meters().callbackGauge("work_queue_depth")
          .help("Depth").labelNames("queue").component("work-queue").register();
      depth.add(() -> 7, "healthy");
      CallbackFamily.Registration broken = depth.add(() -> {
        throw new IllegalStateException("queue closed");
      }, "broken");

      for (int i = 0; i < 3; i++) {
        String scrape = Scrapes.text(kit.metricsPort());  // asserts HTTP 200
        assertThat(Scrapes.value(scrape, "work_queue_depth{queue=\"healthy\"}")).isEqualTo(7.0);
        assertThat(Scrapes.lines(scrape, "work_queue_depth{queue=\"broken\"")).isEmpty();
        assertNoPromtoolFindings(scrape);
      }

      assertThat(kit.instrumentationErrors().count("work-queue")).isEqualTo(3);
      broken.close();
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
          "telemetrykit_instrumentation_errors_total{component=\"work-queue\"}")).isEqualTo(3.0);
      assertThat(log.warnings()).singleElement().asString().contains("'work-queue'");
    }
  }

  @Test
  void aWeakSourceDisappearsWithItsTargetAndAClosedRegistrationStopsReporting()
      throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      CallbackFamily size = kit.meters().callbackGauge("buffer_size")
          .labelNames("buffer").register();
      Object target = new ArrayList<>(List.of(1, 2, 3));
      WeakReference<Object> ref = new WeakReference<>(target);
      size.add(target, t -> ((List<?>) t).size(), "weak");
      CallbackFamily.Registration strong = size.add(() -> 1, "strong");
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()), "buffer_size{buffer=\"weak\"}"))
          .isEqualTo(3.0);

      target = null;
      for (int i = 0; i < 100 && ref.get() != null; i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertThat(ref.get()).as("target collected").isNull();
      strong.close();
      strong.close();

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.lines(scrape, "buffer_size{")).isEmpty();
      assertThat(size.size()).isZero();
      size.add(() -> 2, "weak");  // the label values are free again
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()), "buffer_size{buffer=\"weak\"}"))
          .isEqualTo(2.0);
    }
  }

  @Test
  void aLiveSourceCannotBeRegisteredTwiceForTheSameLabelValues() {
    try (TelemetryKit kit = Kits.start()) {
      CallbackFamily size = kit.meters().callbackGauge("buffer_size")
          .labelNames("buffer").register();
      size.add(() -> 1, "a");
      assertThatThrownBy(() -> size.add(() -> 2, "a"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'buffer_size'").hasMessageContaining("[a]");
    }
  }

  static void assertNoPromtoolFindings(String scrape) {
    Promtool.Result lint = Promtool.checkMetrics(scrape);
    assertThat(lint.output).as("promtool check metrics").isEmpty();
    assertThat(lint.exitCode).isZero();
  }

  interface Body {
    void run(int thread) throws Exception;
  }

  static void runOnThreads(int threads, Runnable body) throws Exception {
    runOnThreads(threads, t -> body.run());
  }

  /** Runs body on n threads released together; rethrows the first failure. */
  static void runOnThreads(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          go.await();
          body.run(id);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
