package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.telemetrykit.logging.TelemetryLogging;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Runs on the logging thread at every log call that will produce an event: counts the event
 * in {@code logback_events_total{level}} (once TelemetryKit started), and makes the MDC's
 * {@code trace_id}/{@code span_id}/{@code trace_flags} equal the current OpenTelemetry span
 * (removing them when there is none). The MDC is what Logback captures for deferred
 * processing, so the IDs stay right behind an {@code AsyncAppender}. Always NEUTRAL; never
 * throws.
 */
public final class TelemetryTurboFilter extends TurboFilter {

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    if (format == null && t == null || level.levelInt < logger.getEffectiveLevel().levelInt) {
      return FilterReply.NEUTRAL; // an isEnabled check, or a disabled level: no event
    }
    try {
      CounterDataPoint[] counts = LoggingState.eventCounts();
      if (counts != null) {
        counts[index(level)].inc();
      }
      syncTraceContext();
    } catch (RuntimeException | LinkageError ignored) {
      // Never let instrumentation break a log call.
    }
    return FilterReply.NEUTRAL;
  }

  private static int index(Level level) {
    switch (level.levelInt) {
      case Level.TRACE_INT:
        return 0;
      case Level.DEBUG_INT:
        return 1;
      case Level.INFO_INT:
        return 2;
      case Level.WARN_INT:
        return 3;
      default:
        return 4;
    }
  }

  static void syncTraceContext() {
    SpanContext sc = Span.current().getSpanContext();
    String current = MDC.get(TelemetryLogging.TRACE_ID);
    if (sc.isValid()) {
      String traceId = sc.getTraceId();
      if (!traceId.equals(current)) {
        MDC.put(TelemetryLogging.TRACE_ID, traceId);
      }
      String spanId = sc.getSpanId();
      if (current == null || !spanId.equals(MDC.get(TelemetryLogging.SPAN_ID))) {
        MDC.put(TelemetryLogging.SPAN_ID, spanId);
        MDC.put(TelemetryLogging.TRACE_FLAGS, sc.getTraceFlags().asHex());
      }
    } else if (current != null) {
      MDC.remove(TelemetryLogging.TRACE_ID);
      MDC.remove(TelemetryLogging.SPAN_ID);
      MDC.remove(TelemetryLogging.TRACE_FLAGS);
    }
  }
}
