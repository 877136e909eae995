package dev.telemetrykit.core;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where instrumentation reports its own failures, so they never reach the host application.
 *
 * <p>Every call counts one error in {@code telemetrykit_instrumentation_errors_total{component}}
 * and logs a WARN line with the stack trace — the first time for a component, then at most
 * once per {@link #LOG_INTERVAL_NANOS} with the number of errors suppressed in between. It
 * never throws.
 *
 * <pre>{@code
 * try {
 *   recordSomething();
 * } catch (RuntimeException e) {
 *   telemetry.instrumentationErrors().record("http-server", e);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class InstrumentationErrors {

  /** Metric name of the error counter. */
  public static final String METRIC_NAME = "telemetrykit_instrumentation_errors_total";

  /** At most one WARN line per component in this interval (five minutes). */
  public static final long LOG_INTERVAL_NANOS = 5L * 60 * 1_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(InstrumentationErrors.class);

  private final Counter counter;
  private final ConcurrentMap<String, LogState> states = new ConcurrentHashMap<>();

  InstrumentationErrors(Counter counter) {
    this.counter = counter;
  }

  /**
   * Counts and (rate-limited) logs a failure inside instrumentation.
   *
   * @param component a short, fixed name such as {@code http-server} or {@code jdbc}; it is a
   *     label value, so never pass anything derived from request data
   * @param error what went wrong; may be {@code null}
   */
  public void record(String component, Throwable error) {
    try {
      String name = component == null ? "unknown" : component;
      counter.labelValues(name).inc();
      LogState state = states.computeIfAbsent(name, k -> new LogState());
      long suppressed = state.shouldLog(System.nanoTime());
      if (suppressed >= 0) {
        LOG.warn(
            "TelemetryKit instrumentation failed in component '{}' (the application was not"
                + " affected; {} more errors since the last report are counted in {})",
            name, suppressed, METRIC_NAME, error);
      }
    } catch (Throwable ignored) {
      // Reporting an error must never become an error of the host application.
    }
  }

  /**
   * Makes the component's error series exist at 0, so dashboards and alerts see it before its
   * first error. Instrumentation calls this once when it is created. Never throws.
   */
  public void declare(String component) {
    try {
      counter.labelValues(component == null ? "unknown" : component);
    } catch (Throwable ignored) {
      // Never an error of the host application.
    }
  }

  /** Number of errors recorded for a component so far. */
  public long count(String component) {
    return (long) counter.labelValues(Objects.requireNonNull(component, "component")).get();
  }

  private static final class LogState {
    private final AtomicLong lastLog = new AtomicLong();
    private final AtomicLong sinceLastLog = new AtomicLong();
    private volatile boolean logged;

    /** Returns the suppressed count when this call should log, -1 otherwise. */
    long shouldLog(long now) {
      if (!logged) {
        synchronized (this) {
          if (!logged) {
            logged = true;
            lastLog.set(now);
            return 0;
          }
        }
      }
      long last = lastLog.get();
      if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
        return sinceLastLog.getAndSet(0);
      }
      sinceLastLog.incrementAndGet();
      return -1;
    }
  }
}
