package dev.telemetrykit.core.meter.bucket4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.github.bucket4j.Bucket;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeteredBucketTest {

  private static TelemetryKit start() {
    return TelemetryKit.builder().serviceName("bucket4j-test").metricsPort(0)
        .metricsHost("127.0.0.1").shutdownHook(false).jvmMetrics(false)
        .registry(new PrometheusRegistry()).modules().start();
  }

  @Test
  void throttlingThroughARealBucketIsCountedWithOneWaitPerRequest() throws Exception {
    try (TelemetryKit kit = start()) {
      Bucket bucket = Bucket.builder()
          .addLimit(limit -> limit.capacity(3).refillIntervally(3, Duration.ofHours(1)))
          .build();
      MeteredBucket api = MeteredBucket.wrap(bucket, kit.meters(), "api");
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
          "rate_limiter_available_permits{limiter=\"api\"}")).isEqualTo(3.0);

      int allowed = 0;
      for (int i = 0; i < 5; i++) {
        allowed += api.tryConsume(1) ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(3);
      assertThat(api.tryConsumeAndReturnRemaining(1).isConsumed()).isFalse();
      assertThat(api.tryConsume(1, Duration.ofMillis(1))).isFalse();  // refill is an hour away
      assertThatThrownBy(() -> api.tryConsume(0))
          .isInstanceOf(IllegalArgumentException.class);              // Bucket4j's own check

      String scrape = Scrapes.text(kit.metricsPort());
      String requests = "rate_limiter_requests_total{limiter=\"api\",outcome=";
      assertThat(Scrapes.value(scrape, requests + "\"allowed\",tier=\"\"}")).isEqualTo(3.0);
      assertThat(Scrapes.value(scrape, requests + "\"throttled\",tier=\"\"}")).isEqualTo(4.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_count{limiter=\"api\"}")).isEqualTo(7.0);
      assertThat(Scrapes.value(scrape, "rate_limiter_available_permits{limiter=\"api\"}"))
          .isEqualTo(0.0);
      Promtool.Result lint = Promtool.checkMetrics(scrape);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void aBlockingConsumeRecordsItsWait() throws Exception {
    try (TelemetryKit kit = start()) {
      Bucket bucket = Bucket.builder()
          .addLimit(limit -> limit.capacity(1).refillGreedy(50, Duration.ofSeconds(1)))
          .build();
      MeteredBucket api = MeteredBucket.wrap(bucket, kit.meters(), "blocking");
      api.consume(1);
      api.consume(1);                                           // waits ~20 ms for a refill
      assertThat(api.tryConsume(1, Duration.ofSeconds(30))).isTrue();

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape,
          "rate_limiter_requests_total{limiter=\"blocking\",outcome=\"allowed\",tier=\"\"}"))
          .isEqualTo(3.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_count{limiter=\"blocking\"}")).isEqualTo(3.0);
      // The second and third consumes had to wait for tokens: they are above the 100 µs bucket.
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_bucket{limiter=\"blocking\",le=\"1.0E-4\"}"))
          .isLessThanOrEqualTo(1.0);
    }
  }
}
