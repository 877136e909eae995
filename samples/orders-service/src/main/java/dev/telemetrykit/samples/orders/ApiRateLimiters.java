package dev.telemetrykit.samples.orders;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One Resilience4j rate limiter per API-key tier. Keys are mapped to a small fixed set of
 * tiers, never used as limiter names or label values themselves, so neither memory nor metric
 * cardinality grows with the keys clients send.
 */
final class ApiRateLimiters {

  private final Map<String, RateLimiter> byTier = new ConcurrentHashMap<>();

  /**
   * @param onCreate called once per tier limiter, to attach its meter
   */
  ApiRateLimiters(int permitsPerSecond, BiConsumer<String, RateLimiter> onCreate) {
    RateLimiterConfig config = RateLimiterConfig.custom()
        .limitForPeriod(permitsPerSecond)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build();
    for (String tier : new String[] {"free", "partner"}) {
      RateLimiter limiter = RateLimiter.of("orders-api-" + tier, config);
      onCreate.accept(tier, limiter);
      byTier.put(tier, limiter);
    }
  }

  /** Takes a permit for the caller's tier; false means answer 429. */
  boolean tryAcquire(String apiKey) {
    return byTier.get(tierOf(apiKey)).acquirePermission();
  }

  static String tierOf(String apiKey) {
    return apiKey != null && apiKey.startsWith("partner-") ? "partner" : "free";
  }
}
