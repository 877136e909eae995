package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MetersTest.assertNoPromtoolFindings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class RateLimiterMetricsTest {

  @Test
  void recordsOutcomesPerTierWaitAndAvailablePermits() {
    try (TelemetryKit kit = Kits.start()) {
      RateLimiterMetrics api = kit.meters().rateLimiter("api");
      Semaphore permits = new Semaphore(3);
      api.availablePermits(permits, Semaphore::availablePermits);
      RateLimiterMetrics.Tier free = api.tier("free");
      RateLimiterMetrics.Tier pro = api.tier("pro");

      for (int i = 0; i < 5; i++) {
        boolean ok = permits.tryAcquire();
        api.record(ok);
        api.recordWait(0);
      }
      free.throttled();
      free.throttled();
      pro.allowed();
      pro.record(false);
      api.recordWait(Duration.ofMillis(300));

      String scrape = Scrapes.text(kit.metricsPort());
      String req = "rate_limiter_requests_total{limiter=\"api\",outcome=";
      assertThat(Scrapes.value(scrape, req + "\"allowed\",tier=\"\"}")).isEqualTo(3.0);
      assertThat(Scrapes.value(scrape, req + "\"throttled\",tier=\"\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(scrape, req + "\"throttled\",tier=\"free\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(scrape, req + "\"allowed\",tier=\"pro\"}")).isEqualTo(1.0);
      assertThat(Scrapes.value(scrape, req + "\"throttled\",tier=\"pro\"}")).isEqualTo(1.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_count{limiter=\"api\"}")).isEqualTo(6.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_bucket{limiter=\"api\",le=\"1.0E-4\"}"))
          .isEqualTo(5.0);
      assertThat(Scrapes.value(scrape,
          "rate_limiter_wait_duration_seconds_bucket{limiter=\"api\",le=\"0.25\"}"))
          .isEqualTo(5.0);
      assertThat(Scrapes.value(scrape, "rate_limiter_available_permits{limiter=\"api\"}"))
          .isEqualTo(0.0);
      assertNoPromtoolFindings(scrape);
    }
  }

  @Test
  void theSameNameGivesTheSameMeterAndNullTierIsRejected() {
    try (TelemetryKit kit = Kits.start()) {
      RateLimiterMetrics api = kit.meters().rateLimiter("api");
      assertThat(kit.meters().rateLimiter("api")).isSameAs(api);
      assertThatThrownBy(() -> api.tier(null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'api'");
      assertThatThrownBy(() -> kit.meters().rateLimiter(null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rate limiter");
    }
  }
}
