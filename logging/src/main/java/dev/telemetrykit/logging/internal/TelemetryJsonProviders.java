package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.telemetrykit.logging.TelemetryLogging;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/** The JSON fields TelemetryKit adds to LLE's: {@code service.name} and the allowed MDC keys. */
public final class TelemetryJsonProviders {

  private TelemetryJsonProviders() {}

  /** Writes {@code service.name} when a service name is known. */
  public static final class ServiceName extends AbstractJsonProvider<ILoggingEvent> {
    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      String name = LoggingState.serviceName();
      if (name != null) {
        generator.writeStringField(TelemetryLogging.SERVICE_NAME_FIELD, name);
      }
    }
  }

  /**
   * Writes the allow-listed MDC keys ({@code trace_id}, {@code span_id}, {@code trace_flags},
   * {@code correlation_id} and configured extras). The trace fields come from the MDC as
   * captured at the log call (TelemetryKit's turbo filter puts them there), or, when the MDC has
   * none and the line is encoded on the thread that logged it, from the current span.
   */
  public static final class Mdc extends AbstractJsonProvider<ILoggingEvent> {
    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      Map<String, String> mdc = event.getMDCPropertyMap();
      boolean hasTrace = false;
      if (mdc != null && !mdc.isEmpty()) {
        for (String key : LoggingState.mdcKeys()) {
          String value = mdc.get(key);
          if (value != null) {
            generator.writeStringField(key, value);
            if (key.equals(TelemetryLogging.TRACE_ID)) {
              hasTrace = true;
            }
          }
        }
      }
      if (!hasTrace) {
        SpanContext sc = Span.current().getSpanContext();
        if (sc.isValid() && Thread.currentThread().getName().equals(event.getThreadName())) {
          generator.writeStringField(TelemetryLogging.TRACE_ID, sc.getTraceId());
          generator.writeStringField(TelemetryLogging.SPAN_ID, sc.getSpanId());
          generator.writeStringField(TelemetryLogging.TRACE_FLAGS, sc.getTraceFlags().asHex());
        }
      }
    }
  }
}
