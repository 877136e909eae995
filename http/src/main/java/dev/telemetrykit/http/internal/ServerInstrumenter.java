package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.http.HttpNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;

/** What the JDK and servlet filters share: metrics, correlation IDs, spans, error reporting. */
public final class ServerInstrumenter {

  /** Component name in {@code telemetrykit_instrumentation_errors_total}. */
  public static final String COMPONENT = "http-server";

  public final ServerMetrics metrics;
  public final Correlation correlation;
  public final Tracing tracing;
  public final InstrumentationErrors errors;
  public final AccessLog accessLog;

  public ServerInstrumenter(ServerMetrics metrics, Correlation correlation, Tracing tracing,
      InstrumentationErrors errors) {
    this(metrics, correlation, tracing, errors, AccessLog.OFF);
  }

  /** With an access log (see {@link AccessLog#fromSettings}). */
  public ServerInstrumenter(ServerMetrics metrics, Correlation correlation, Tracing tracing,
      InstrumentationErrors errors, AccessLog accessLog) {
    this.accessLog = accessLog;
    this.metrics = metrics;
    this.correlation = correlation;
    this.tracing = tracing;
    this.errors = errors;
  }

  /**
   * Puts the ID in the MDC and returns the value it replaced ({@code null} if none), to be
   * given back to {@link #restoreMdc(String)}.
   */
  public static String putMdc(String id) {
    String previous = MDC.get(HttpNames.MDC_CORRELATION_ID);
    MDC.put(HttpNames.MDC_CORRELATION_ID, id);
    return previous;
  }

  /** Restores the MDC entry replaced by {@link #putMdc(String)}. */
  public static void restoreMdc(String previous) {
    if (previous == null) {
      MDC.remove(HttpNames.MDC_CORRELATION_ID);
    } else {
      MDC.put(HttpNames.MDC_CORRELATION_ID, previous);
    }
  }

  /**
   * Leaves the request's context on the worker thread: ends the request's unit of work ({@code
   * unit}, begun right after the MDC was set; first, so its report still has the span and
   * correlation ID),
   * closes the span scope (if any) and restores the MDC (if it was set). Failures are counted,
   * never thrown.
   */
  public void leaveThread(Scope scope, boolean mdcSet, String previousId, UnitOfWork unit) {
    if (mdcSet) {
      try {
        UnitOfWork.end(unit);
      } catch (Throwable t) {
        errors.record(COMPONENT, t);
      }
    }
    if (scope != null) {
      try {
        scope.close();
      } catch (Throwable t) {
        errors.record(COMPONENT, t);
      }
    }
    if (mdcSet) {
      try {
        restoreMdc(previousId);
      } catch (Throwable t) {
        errors.record(COMPONENT, t);
      }
    }
  }

  /** Starts a SERVER span with the parent extracted from the carrier's headers. */
  public <C> Span startSpan(Tracing.On on, C carrier, TextMapGetter<C> getter, RouteStats route,
      int method, String rawMethod, int scheme, String path) {
    Context parent = on.propagator.extract(Context.root(), carrier, getter);
    SpanBuilder b = on.tracer.spanBuilder(route.spanName(method))
        .setSpanKind(SpanKind.SERVER)
        .setParent(parent)
        .setAttribute(Tracing.HTTP_REQUEST_METHOD, Methods.name(method))
        .setAttribute(Tracing.URL_SCHEME, ServerMetrics.schemeName(scheme))
        .setAttribute(Tracing.URL_PATH, path);
    if (method == Methods.OTHER && rawMethod != null) {
      b.setAttribute(Tracing.HTTP_REQUEST_METHOD_ORIGINAL, rawMethod);
    }
    if (!route.route().equals(HttpNames.OTHER)) {
      b.setAttribute(Tracing.HTTP_ROUTE, route.route());
    }
    return b.startSpan();
  }

  /** Sets the response attributes and status, then ends the span. */
  public static void endSpan(Span span, int status, Throwable failure, String errorType) {
    if (status >= 100) {
      span.setAttribute(Tracing.HTTP_RESPONSE_STATUS_CODE, status);
    }
    if (failure != null) {
      span.recordException(failure);
    }
    if (errorType != null) {
      span.setAttribute(Tracing.ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR);
    } else if (status >= 500) {
      span.setAttribute(Tracing.ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
