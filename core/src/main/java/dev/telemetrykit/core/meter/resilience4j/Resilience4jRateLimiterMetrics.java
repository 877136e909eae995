package dev.telemetrykit.core.meter.resilience4j;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.core.meter.RateLimiterMetrics;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Feeds TelemetryKit's rate limiter meter from a Resilience4j {@link RateLimiter}, with one call.
 *
 * <pre>{@code
 * RateLimiter limiter = Resilience4jRateLimiterMetrics.monitor(
 *     RateLimiter.of("api", RateLimiterConfig.custom().limitForPeriod(100).build()),
 *     telemetry.meters());
 * String body = limiter.executeSupplier(() -> callBackend());
 * }</pre>
 *
 * <p>{@code monitor} subscribes to the limiter's event publisher, so every acquisition —
 * through the returned limiter or the original one, e.g. from a {@code RateLimiterRegistry} —
 * is counted in {@code rate_limiter_requests_total{limiter, outcome}} ({@code allowed} for a
 * success event, {@code throttled} for a failure event); and it reports the limiter's
 * {@code getMetrics().getAvailablePermissions()} as {@code rate_limiter_available_permits}
 * (holding the limiter weakly). Resilience4j's events do not carry the wait, so the wait is
 * measured by the returned limiter: acquisitions through it (including its
 * {@code executeSupplier}/{@code decorate*} helpers) record
 * {@code rate_limiter_wait_duration_seconds}; for {@code reservePermission} the reserved wait
 * is recorded (0 when refused).
 *
 * <p>Monitoring the same limiter twice with the same {@code Meters} throws
 * {@link IllegalArgumentException}: each event would be counted twice. Metric recording never
 * throws into the caller: a failure is counted
 * in {@code telemetrykit_instrumentation_errors_total{component="resilience4j"}}.
 *
 * <p>Needs {@code io.github.resilience4j:resilience4j-ratelimiter} on the class path (an
 * optional dependency of TelemetryKit core).
 *
 * @since 0.1.0
 */
public final class Resilience4jRateLimiterMetrics {

  /** Component name under which failures are counted. */
  public static final String COMPONENT = "resilience4j";

  /** Limiters already monitored, and by which Meters (a restarted TelemetryKit may re-attach). */
  private static final Map<RateLimiter, WeakReference<Meters>> MONITORED = new WeakHashMap<>();

  private Resilience4jRateLimiterMetrics() {}

  /**
   * Monitors {@code limiter} under its own name ({@link RateLimiter#getName()}).
   *
   * @return a limiter that behaves like {@code limiter} and also records wait times
   * @throws IllegalArgumentException if this limiter is already monitored
   */
  public static RateLimiter monitor(RateLimiter limiter, Meters meters) {
    Objects.requireNonNull(limiter, "limiter");
    return monitor(limiter, meters, limiter.getName());
  }

  /**
   * Monitors {@code limiter} under the {@code limiter} label value {@code name}.
   *
   * @return a limiter that behaves like {@code limiter} and also records wait times
   * @throws IllegalArgumentException if this limiter is already monitored
   */
  public static RateLimiter monitor(RateLimiter limiter, Meters meters, String name) {
    Objects.requireNonNull(limiter, "limiter");
    Objects.requireNonNull(meters, "meters");
    RateLimiterMetrics metrics = meters.rateLimiter(name);
    InstrumentationErrors errors = meters.errors();
    synchronized (MONITORED) {
      WeakReference<Meters> by = MONITORED.get(limiter);
      if (by != null && by.get() == meters) {
        throw new IllegalArgumentException("Resilience4j rate limiter '" + limiter.getName()
            + "' is already monitored; use the limiter monitor() returned");
      }
      metrics.availablePermits(limiter, l -> l.getMetrics().getAvailablePermissions());
      MONITORED.put(limiter, new WeakReference<>(meters));
    }
    limiter.getEventPublisher()
        .onSuccess(event -> {
          try {
            metrics.allowed();
          } catch (RuntimeException e) {
            errors.record(COMPONENT, e);
          }
        })
        .onFailure(event -> {
          try {
            metrics.throttled();
          } catch (RuntimeException e) {
            errors.record(COMPONENT, e);
          }
        });
    return new TimedRateLimiter(limiter, metrics, errors);
  }

  /** Delegates everything; times acquisitions so the wait is recorded. */
  private static final class TimedRateLimiter implements RateLimiter {
    private final RateLimiter delegate;
    private final RateLimiterMetrics metrics;
    private final InstrumentationErrors errors;

    TimedRateLimiter(RateLimiter delegate, RateLimiterMetrics metrics,
        InstrumentationErrors errors) {
      this.delegate = delegate;
      this.metrics = metrics;
      this.errors = errors;
    }

    @Override
    public boolean acquirePermission(int permits) {
      long start = System.nanoTime();
      boolean allowed = delegate.acquirePermission(permits);
      recordWait(System.nanoTime() - start);
      return allowed;
    }

    @Override
    public long reservePermission(int permits) {
      long nanosToWait = delegate.reservePermission(permits);
      recordWait(nanosToWait < 0 ? 0 : nanosToWait);
      return nanosToWait;
    }

    private void recordWait(long nanos) {
      try {
        metrics.recordWait(nanos);
      } catch (RuntimeException e) {
        errors.record(COMPONENT, e);
      }
    }

    @Override
    public void changeTimeoutDuration(Duration timeoutDuration) {
      delegate.changeTimeoutDuration(timeoutDuration);
    }

    @Override
    public void changeLimitForPeriod(int limitForPeriod) {
      delegate.changeLimitForPeriod(limitForPeriod);
    }

    @Override
    public void drainPermissions() {
      delegate.drainPermissions();
    }

    @Override
    public void drainIfNeeded(Either<? extends Throwable, ?> callsResult) {
      delegate.drainIfNeeded(callsResult);
    }

    @Override
    public void onError(Throwable throwable) {
      delegate.onError(throwable);
    }

    @Override
    public void onSuccess() {
      delegate.onSuccess();
    }

    @Override
    public void onResult(Object result) {
      delegate.onResult(result);
    }

    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public RateLimiterConfig getRateLimiterConfig() {
      return delegate.getRateLimiterConfig();
    }

    @Override
    public Map<String, String> getTags() {
      return delegate.getTags();
    }

    @Override
    public Metrics getMetrics() {
      return delegate.getMetrics();
    }

    @Override
    public EventPublisher getEventPublisher() {
      return delegate.getEventPublisher();
    }

    @Override
    public String toString() {
      return "Timed[" + delegate + "]";
    }
  }
}
