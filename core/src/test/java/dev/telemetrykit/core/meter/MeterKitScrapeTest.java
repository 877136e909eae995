package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MetersTest.assertNoPromtoolFindings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.bucket4j.MeteredBucket;
import dev.telemetrykit.core.meter.resilience4j.Resilience4jRateLimiterMetrics;
import dev.telemetrykit.core.testing.Scrapes;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every meter of the kit in one process, one scrape, checked by the real promtool. */
class MeterKitScrapeTest {

  @Test
  void aScrapeOfEveryMeterPassesPromtool() throws Exception {
    try (TelemetryKit kit = Kits.builder().jvmMetrics(true).cardinalityLimit(10).start()) {
      Meters meters = kit.meters();
      GuardedCounter orders = meters.counter("orders_created_total").help("Orders")
          .labelNames("channel").register();
      for (int i = 0; i < 20; i++) {
        orders.labelValues("c" + i).inc();
      }
      meters.gauge("sessions_active").help("Sessions").register().labelValues().set(3);
      meters.histogram("checkout_duration_seconds").help("Checkout").register()
          .labelValues().observe(0.2);
      meters.callbackGauge("work_queue_depth").help("Depth").labelNames("queue").register()
          .add(() -> {
            throw new IllegalStateException("boom");
          }, "broken");

      RateLimiter r4j = Resilience4jRateLimiterMetrics.monitor(RateLimiter.of("r4j",
          RateLimiterConfig.custom().limitForPeriod(1).limitRefreshPeriod(Duration.ofHours(1))
              .timeoutDuration(Duration.ZERO).build()), meters);
      r4j.acquirePermission();
      r4j.acquirePermission();
      MeteredBucket bucket = MeteredBucket.wrap(Bucket.builder()
          .addLimit(l -> l.capacity(1).refillIntervally(1, Duration.ofHours(1))).build(),
          meters, "bucket");
      bucket.tryConsume(1);
      bucket.tryConsume(1);
      meters.rateLimiter("manual").tier("free").throttled();

      BatchMetrics batches = meters.batchProcessor("events");
      batches.queueDepth(new LinkedBlockingQueue<>(), LinkedBlockingQueue::size);
      try (BatchMetrics.Batch b = batches.start(3)) {
        b.success();
      }

      ExecutorService pool = meters.executor("pool", Executors.newFixedThreadPool(2));
      ExecutorService fj = meters.executor("fj", new ForkJoinPool(2));
      ScheduledExecutorService timers =
          meters.executor("timers", Executors.newScheduledThreadPool(1));
      pool.submit(() -> 1).get(60, TimeUnit.SECONDS);
      fj.submit(() -> 1).get(60, TimeUnit.SECONDS);
      timers.schedule(() -> 1, 1, TimeUnit.MILLISECONDS).get(60, TimeUnit.SECONDS);

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(scrape).contains("orders_created_total{channel=\"_OTHER\"} 10.0",
          "rate_limiter_requests_total{limiter=\"r4j\",outcome=\"throttled\",tier=\"\"} 1.0",
          "rate_limiter_requests_total{limiter=\"bucket\",outcome=\"throttled\",tier=\"\"} 1.0",
          "batch_processor_batches_total{outcome=\"success\",processor=\"events\"} 1.0",
          "executor_completed_tasks_total{executor=\"pool\"}",
          "executor_pool_max_threads{executor=\"fj\"} 2.0",
          "executor_task_duration_seconds_count{executor=\"timers\"} 1",
          "jvm_memory_used_bytes{");
      assertNoPromtoolFindings(scrape);
      pool.shutdown();
      fj.shutdown();
      timers.shutdown();
    }
  }
}
