package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MeterNames.ALLOWED;
import static dev.telemetrykit.core.meter.MeterNames.THROTTLED;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Records what one rate limiter decides: {@code rate_limiter_requests_total{limiter, outcome,
 * tier}} ({@code allowed}/{@code throttled}), {@code rate_limiter_wait_duration_seconds{limiter}}
 * and {@code rate_limiter_available_permits{limiter}}. Created with
 * {@link Meters#rateLimiter(String)}; for Resilience4j and Bucket4j use the adapters in
 * {@code dev.telemetrykit.core.meter.resilience4j} and {@code dev.telemetrykit.core.meter.bucket4j}
 * instead of calling this by hand.
 *
 * <pre>{@code
 * RateLimiterMetrics api = telemetry.meters().rateLimiter("api");
 * api.availablePermits(myLimiter, MyLimiter::available);     // read at scrape time, held weakly
 *
 * long start = System.nanoTime();
 * boolean ok = myLimiter.tryAcquire(Duration.ofMillis(50));
 * api.recordWait(System.nanoTime() - start);
 * api.record(ok);                                            // allowed or throttled
 *
 * // Limits per caller tier: bind each tier once, e.g. in an EnumMap.
 * RateLimiterMetrics.Tier free = api.tier("free");
 * free.throttled();
 * }</pre>
 *
 * <p>The {@code tier} label is always present so that every limiter shares one metric; it is
 * the empty string (which Prometheus treats as no label) for requests recorded without a tier.
 * Tier values go through the cardinality guard.
 *
 * <p>Recording is lock-free and allocation-free: the label sets are bound at construction.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class RateLimiterMetrics {

  /**
   * Upper bounds of the wait histogram, in seconds: 100 µs to 10 s; most permits are granted
   * without waiting and land in the first bucket.
   */
  static final double[] WAIT_BUCKETS =
      {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final String name;
  private final GuardedCounter requests;
  private final CallbackFamily permits;
  private final Tier untiered;
  private final DistributionDataPoint wait;

  RateLimiterMetrics(String name, GuardedCounter requests, GuardedHistogram wait,
      CallbackFamily permits) {
    this.name = name;
    this.requests = requests;
    this.permits = permits;
    this.untiered = new Tier(requests, name, "");
    this.wait = wait.labelValues(name);
  }

  /** The limiter name (the {@code limiter} label value). */
  public String name() {
    return name;
  }

  /** Counts one request that got its permit. */
  public void allowed() {
    untiered.allowed.inc();
  }

  /** Counts one request the limiter refused. */
  public void throttled() {
    untiered.throttled.inc();
  }

  /** Counts one request as {@link #allowed()} or {@link #throttled()}. */
  public void record(boolean allowed) {
    (allowed ? untiered.allowed : untiered.throttled).inc();
  }

  /** Records how long one request waited for its decision, in nanoseconds (negative = 0). */
  public void recordWait(long nanos) {
    wait.observe(nanos <= 0 ? 0 : nanos / 1e9);
  }

  /** Records how long one request waited for its decision. */
  public void recordWait(Duration wait) {
    recordWait(wait.toNanos());
  }

  /**
   * The counters of one caller tier ({@code tier} label). Bind each tier once and keep the
   * handle: this call looks up two series.
   *
   * @throws IllegalArgumentException if {@code tier} is null
   */
  public Tier tier(String tier) {
    if (tier == null) {
      throw new IllegalArgumentException("Rate limiter '" + name + "': tier must not be null");
    }
    return new Tier(requests, name, tier);
  }

  /**
   * Reports {@code permits.applyAsDouble(limiter)} as {@code rate_limiter_available_permits},
   * holding {@code limiter} weakly. A function that throws skips the sample and is counted in
   * {@code telemetrykit_instrumentation_errors_total}.
   *
   * @throws IllegalArgumentException if a live source already reports this limiter's permits
   */
  public <T> CallbackFamily.Registration availablePermits(
      T limiter, ToDoubleFunction<? super T> permits) {
    return this.permits.add(limiter, permits, name);
  }

  /** Reports {@code permits.getAsDouble()} as {@code rate_limiter_available_permits}. */
  public CallbackFamily.Registration availablePermits(DoubleSupplier permits) {
    return this.permits.add(permits, name);
  }

  /**
   * The bound {@code allowed}/{@code throttled} counters of one tier of a limiter.
   *
   * <pre>{@code
   * RateLimiterMetrics.Tier pro = telemetry.meters().rateLimiter("api").tier("pro");
   * pro.record(limiter.tryAcquire());
   * }</pre>
   */
  public static final class Tier {
    private final CounterDataPoint allowed;
    private final CounterDataPoint throttled;

    Tier(GuardedCounter requests, String limiter, String tier) {
      this.allowed = requests.labelValues(limiter, ALLOWED, Objects.requireNonNull(tier));
      this.throttled = requests.labelValues(limiter, THROTTLED, tier);
    }

    /** Counts one request of this tier that got its permit. */
    public void allowed() {
      allowed.inc();
    }

    /** Counts one request of this tier the limiter refused. */
    public void throttled() {
      throttled.inc();
    }

    /** Counts one request of this tier as allowed or throttled. */
    public void record(boolean allowed) {
      (allowed ? this.allowed : this.throttled).inc();
    }
  }
}
