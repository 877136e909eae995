package dev.telemetrykit.core.meter.bucket4j;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.core.meter.RateLimiterMetrics;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Objects;

/**
 * A Bucket4j {@link Bucket} that records every consumption in TelemetryKit's rate limiter
 * meter: {@code rate_limiter_requests_total{limiter, outcome}} ({@code allowed} when the tokens
 * were consumed, {@code throttled} when not), {@code rate_limiter_wait_duration_seconds} (the
 * time a blocking consume waited; 0 for the non-blocking ones, so the histogram count equals
 * the request count) and {@code rate_limiter_available_permits} (the bucket's available
 * tokens, read at scrape time, the bucket held weakly).
 *
 * <pre>{@code
 * Bucket bucket = Bucket.builder()
 *     .addLimit(limit -> limit.capacity(100).refillGreedy(100, Duration.ofSeconds(1)))
 *     .build();
 * MeteredBucket api = MeteredBucket.wrap(bucket, telemetry.meters(), "api");
 *
 * if (!api.tryConsume(1)) {
 *   return tooManyRequests();
 * }
 * boolean ok = api.tryConsume(1, Duration.ofMillis(200));   // blocking, wait recorded
 * }</pre>
 *
 * <p>Only consumptions through this wrapper are recorded; {@link #bucket()} gives the bucket
 * for everything else (configuration, {@code addTokens}, ...). Recording never throws into the
 * caller: a failure is counted in
 * {@code telemetrykit_instrumentation_errors_total{component="bucket4j"}}; Bucket4j's own
 * exceptions (e.g. for a non-positive token count) and {@link InterruptedException} pass
 * through unchanged, and an interrupted wait is not recorded. Thread-safe, as the bucket is.
 *
 * <p>Needs {@code com.bucket4j:bucket4j_jdk17-core} on the class path (an optional dependency
 * of TelemetryKit core).
 *
 * @since 0.1.0
 */
public final class MeteredBucket {

  /** Component name under which failures are counted. */
  public static final String COMPONENT = "bucket4j";

  private final Bucket bucket;
  private final RateLimiterMetrics metrics;
  private final InstrumentationErrors errors;

  private MeteredBucket(Bucket bucket, RateLimiterMetrics metrics, InstrumentationErrors errors) {
    this.bucket = bucket;
    this.metrics = metrics;
    this.errors = errors;
  }

  /**
   * Wraps {@code bucket}, recording under the {@code limiter} label value {@code name}, and
   * reports its available tokens.
   *
   * @throws IllegalArgumentException if {@code name} is empty, or a live source already reports
   *     available permits for this name
   */
  public static MeteredBucket wrap(Bucket bucket, Meters meters, String name) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(meters, "meters");
    RateLimiterMetrics metrics = meters.rateLimiter(name);
    metrics.availablePermits(bucket, Bucket::getAvailableTokens);
    return new MeteredBucket(bucket, metrics, meters.errors());
  }

  /** The limiter name (the {@code limiter} label value). */
  public String name() {
    return metrics.name();
  }

  /** The wrapped bucket. */
  public Bucket bucket() {
    return bucket;
  }

  /** Tries to consume {@code tokens} without waiting; see {@link Bucket#tryConsume(long)}. */
  public boolean tryConsume(long tokens) {
    boolean allowed = bucket.tryConsume(tokens);
    record(allowed, 0);
    return allowed;
  }

  /**
   * Tries to consume {@code tokens} without waiting and tells how long to wait otherwise; see
   * {@link Bucket#tryConsumeAndReturnRemaining(long)}.
   */
  public ConsumptionProbe tryConsumeAndReturnRemaining(long tokens) {
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
    record(probe.isConsumed(), 0);
    return probe;
  }

  /**
   * Waits up to {@code maxWait} for {@code tokens}; see
   * {@link io.github.bucket4j.BlockingBucket#tryConsume(long, Duration)}. Records the time
   * waited.
   */
  public boolean tryConsume(long tokens, Duration maxWait) throws InterruptedException {
    long start = System.nanoTime();
    boolean allowed = bucket.asBlocking().tryConsume(tokens, maxWait);
    record(allowed, System.nanoTime() - start);
    return allowed;
  }

  /**
   * Waits as long as needed for {@code tokens}; see
   * {@link io.github.bucket4j.BlockingBucket#consume(long)}. Records the time waited.
   */
  public void consume(long tokens) throws InterruptedException {
    long start = System.nanoTime();
    bucket.asBlocking().consume(tokens);
    record(true, System.nanoTime() - start);
  }

  /** The tokens available now; see {@link Bucket#getAvailableTokens()}. */
  public long getAvailableTokens() {
    return bucket.getAvailableTokens();
  }

  private void record(boolean allowed, long waitNanos) {
    try {
      metrics.record(allowed);
      metrics.recordWait(waitNanos);
    } catch (RuntimeException e) {
      errors.record(COMPONENT, e);
    }
  }

  @Override
  public String toString() {
    return "MeteredBucket[" + name() + "]";
  }
}
