package dev.telemetrykit.jdbc.internal;

import dev.telemetrykit.jdbc.JdbcNames;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * The tracer spans are started with: the one of an explicitly given {@link OpenTelemetry}, or
 * the global one once it is set. {@link GlobalOpenTelemetry#get()} would install a no-op
 * instance for good when nothing is set yet (and so break a tracing module that starts later),
 * so until {@link GlobalOpenTelemetry#isSet()} is true no span is started and the check is
 * repeated at most once per second; after that the tracer is a plain field read.
 */
final class Tracing {

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private volatile Tracer tracer;
  private volatile long nextCheck;

  Tracing(OpenTelemetry explicit) {
    if (explicit != null) {
      tracer = explicit.getTracer(JdbcNames.INSTRUMENTATION_SCOPE);
    } else {
      nextCheck = System.nanoTime();
    }
  }

  /** The tracer, or {@code null} while no OpenTelemetry is set. {@code now} is a nanoTime. */
  Tracer tracer(long now) {
    Tracer t = tracer;
    return t != null ? t : lookUp(now);
  }

  private Tracer lookUp(long now) {
    if (now - nextCheck < 0) {
      return null;
    }
    nextCheck = now + RECHECK_NANOS;
    if (!GlobalOpenTelemetry.isSet()) {
      return null;
    }
    Tracer t = GlobalOpenTelemetry.get().getTracer(JdbcNames.INSTRUMENTATION_SCOPE);
    tracer = t;
    return t;
  }
}
