package dev.telemetrykit.core.meter.resilience4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Resilience4jRateLimiterMetricsTest {

  private static final String REQUESTS = "rate_limiter_requests_total{limiter=\"api\",outcome=";

  private static TelemetryKit start() {
    return TelemetryKit.builder().serviceName("r4j-test").metricsPort(0)
        .metricsHost("127.0.0.1").shutdownHook(false).jvmMetrics(false)
        .registry(new PrometheusRegistry()).modules().start();
  }

  @Test
  void throttlingThroughARealLimiterIsCountedAndEveryTimedAcquisitionHasAWait() {
    try (TelemetryKit kit = start()) {
      RateLimiter original = RateLimiter.of("api", RateLimiterConfig.custom()
          .limitForPeriod(5).limitRefreshPeriod(Duration.ofHours(1))
          .timeoutDuration(Duration.ZERO).build());
      RateLimiter limiter = Resilience4jRateLimiterMetrics.monitor(original, kit.meters());
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
          "rate_limiter_available_permits{limiter=\"api\"}")).isEqualTo(5.0);

      int allowed = 0;
      for (int i = 0; i < 7; i++) {
        allowed += limiter.acquirePermission() ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(5);
      assertThatThrownBy(() -> limiter.executeSupplier(() -> "x"))
          .isInstanceOf(RequestNotPermitted.class);
      assertThat(original.acquirePermission()).isFalse();   // counted by events, not timed

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, REQUESTS + "\"allowed\",tier=\"\"}")).isEqualTo(5.0);
      assertThat(Scrapes.value(scrape, REQUESTS + "\"throttled\",tier=\"\"}")).isEqualTo(4.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_count{limiter=\"api\"}")).isEqualTo(8.0);
      assertThat(Scrapes.value(scrape, "rate_limiter_available_permits{limiter=\"api\"}"))
          .isEqualTo(0.0);
      Promtool.Result lint = Promtool.checkMetrics(scrape);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void aReservedPermitRecordsTheReservedWait() {
    try (TelemetryKit kit = start()) {
      RateLimiter limiter = Resilience4jRateLimiterMetrics.monitor(
          RateLimiter.of("api", RateLimiterConfig.custom()
              .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(8))
              .timeoutDuration(Duration.ofSeconds(20)).build()), kit.meters(), "api");

      assertThat(limiter.reservePermission()).isZero();
      long nanos = limiter.reservePermission();   // the next cycle, up to 8 s away
      assertThat(nanos).isPositive();

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, REQUESTS + "\"allowed\",tier=\"\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_count{limiter=\"api\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_sum{limiter=\"api\"}")).isEqualTo(nanos / 1e9);
    }
  }

  @Test
  void monitoringTheSameLimiterTwiceFails() {
    try (TelemetryKit kit = start()) {
      RateLimiter limiter = RateLimiter.ofDefaults("twice");
      Resilience4jRateLimiterMetrics.monitor(limiter, kit.meters());
      assertThatThrownBy(() -> Resilience4jRateLimiterMetrics.monitor(limiter, kit.meters(), "b"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'twice'");
    }
  }
}
