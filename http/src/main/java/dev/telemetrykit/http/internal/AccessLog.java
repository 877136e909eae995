package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.Settings;
import dev.telemetrykit.http.HttpNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The JSON access log: one SLF4J event per server request on logger
 * {@value HttpNames#ACCESS_LOGGER}, fields as key-value pairs (so the logging module's
 * encoder writes them as JSON fields and redacts them like any other value). Off by default;
 * when off the filters pay one field read per request.
 */
public final class AccessLog {

  /** No access log. */
  public static final AccessLog OFF = new AccessLog(false, -1);

  private static final Logger LOG = LoggerFactory.getLogger(HttpNames.ACCESS_LOGGER);

  /** True when requests may be logged; checked first so the off path costs one read. */
  public final boolean enabled;
  private final long slowNanos;

  AccessLog(boolean enabled, long slowNanos) {
    this.enabled = enabled;
    this.slowNanos = slowNanos;
  }

  /**
   * From {@value HttpNames#SETTING_ACCESS_LOG} and {@value HttpNames#SETTING_ACCESS_LOG_SLOW};
   * throws the standard {@code Invalid setting} exception for bad values.
   */
  public static AccessLog fromSettings(Settings settings) {
    boolean on = settings.booleanValue(HttpNames.SETTING_ACCESS_LOG, false);
    Duration slow = settings.duration(HttpNames.SETTING_ACCESS_LOG_SLOW, null);
    return on ? new AccessLog(true, slow == null ? -1 : slow.toNanos()) : OFF;
  }

  /** Whether a finished request is logged: all of them, or only errors and slow ones. */
  public boolean wants(int status, String errorType, long elapsedNanos) {
    return enabled && (slowNanos < 0 || errorType != null || status >= 500 || status <= 0
        || elapsedNanos >= slowNanos) && LOG.isWarnEnabled();
  }

  /**
   * Writes one line. Never throws into the caller's request (the caller counts failures).
   *
   * @param span the request's span, or {@code null}
   */
  public void log(String method, String route, int status, long elapsedNanos, long requestBytes,
      long responseBytes, String correlationId, Span span, String clientAddress,
      String userAgent, String errorType) {
    LoggingEventBuilder b = (errorType != null || status >= 500 ? LOG.atWarn() : LOG.atInfo())
        .setMessage("http access")
        .addKeyValue("http_method", method)
        .addKeyValue("http_route", route)
        .addKeyValue("http_status", status > 0 ? status : null)
        .addKeyValue("duration_ms", Math.round(elapsedNanos / 1e4) / 100.0)
        .addKeyValue("request_bytes", requestBytes >= 0 ? requestBytes : null)
        .addKeyValue("response_bytes", responseBytes >= 0 ? responseBytes : null)
        .addKeyValue(HttpNames.MDC_CORRELATION_ID, correlationId);
    if (span != null) {
      SpanContext c = span.getSpanContext();
      if (c.isValid()) {
        b = b.addKeyValue("trace_id", c.getTraceId()).addKeyValue("span_id", c.getSpanId());
      }
    }
    b.addKeyValue("client_address", clientAddress)
        .addKeyValue("user_agent", userAgent)
        .addKeyValue("error_type", errorType)
        .log();
  }
}
