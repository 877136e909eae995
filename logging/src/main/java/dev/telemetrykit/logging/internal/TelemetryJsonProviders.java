package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.telemetrykit.logging.TelemetryLogging;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import net.logstash.logback.composite.AbstractJsonProvider;

/** The JSON fields TelemetryKit adds to LLE's: {@code service.name} and the MDC entries. */
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
   * Writes every MDC entry (names and values pass the redacting generator like every field):
   * first {@code trace_id}, {@code span_id}, {@code trace_flags}, {@code correlation_id} and the
   * keys of {@code TELEMETRYKIT_LOG_MDC_KEYS}, in that order, then the rest; keys in
   * {@code TELEMETRYKIT_LOG_MDC_EXCLUDE} and keys that would repeat one of the line's own fields
   * are left out. The trace fields come from the MDC as captured at the log call (TelemetryKit's
   * turbo filter puts them there), or, when the MDC has none and the line is encoded on the
   * thread that logged it, from the current span.
   */
  public static final class Mdc extends AbstractJsonProvider<ILoggingEvent> {
    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      Map<String, String> mdc = event.getMDCPropertyMap();
      boolean hasTrace = false;
      if (mdc != null && !mdc.isEmpty()) {
        LoggingState.MdcPolicy policy = LoggingState.mdcPolicy();
        String[] first = policy.first();
        RedactingJsonGenerator redacting =
            generator instanceof RedactingJsonGenerator r ? r : null;
        int written = 0;
        for (String key : first) {
          String value = mdc.get(key);
          if (value != null) {
            writeEntry(generator, redacting, key, value, written);
            written++;
            if (key.equals(TelemetryLogging.TRACE_ID)) {
              hasTrace = true;
            }
          }
        }
        if (written < mdc.size()) {
          Set<String> skipped = policy.skipped();
          for (Map.Entry<String, String> e : mdc.entrySet()) {
            String key = e.getKey();
            if (key == null || e.getValue() == null || skipped.contains(key)) {
              continue;
            }
            writeEntry(generator, redacting, key, e.getValue(), written++);
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

  private static void writeEntry(JsonGenerator generator, RedactingJsonGenerator redacting,
      String key, String value, int position) throws IOException {
    if (redacting != null) {
      redacting.writeMdcField(key, value, position);
    } else {
      generator.writeStringField(key, value);
    }
  }

  /** The line's own fields, which an MDC key must not repeat (a JSON object has unique names). */
  static final Set<String> RESERVED = Set.of("@timestamp", "message", "logger",
      "thread", "level", "stack_trace", "tags", TelemetryLogging.SERVICE_NAME_FIELD);
}
