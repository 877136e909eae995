package dev.telemetrykit.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import dev.telemetrykit.logging.internal.RedactingJsonGeneratorDecorator;
import dev.telemetrykit.logging.internal.RedactingThrowableConverter;
import dev.telemetrykit.logging.internal.TelemetryJsonProviders;
import net.logstash.logback.decorate.JsonGeneratorDecorator;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashCommonFieldNames;

/**
 * logstash-logback-encoder's {@link LogstashEncoder} with TelemetryKit's fields and redaction:
 * LLE's standard fields plus {@code service.name}, {@code trace_id}/{@code span_id}/
 * {@code trace_flags} and {@code correlation_id}; every MDC entry except those in
 * {@code TELEMETRYKIT_LOG_MDC_EXCLUDE}; U+2028, U+2029 and U+0085 escaped so every line
 * splitter agrees where a line ends; every field name and value passes through the
 * redacting generator. Use it in an application's own {@code logback.xml}:
 *
 * <pre>{@code
 * <appender name="JSON" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="dev.telemetrykit.logging.TelemetryJsonEncoder"/>
 * </appender>
 * }</pre>
 *
 * <p>or include {@code dev/telemetrykit/logging/json-console-appender.xml}, which declares that
 * appender as {@code TELEMETRYKIT_JSON_CONSOLE}. Every LLE option still works; a
 * {@code jsonGeneratorDecorator} set in XML is applied inside the redacting one.
 *
 * @since 0.1.0
 */
public class TelemetryJsonEncoder extends LogstashEncoder {

  private final RedactingJsonGeneratorDecorator redacting = new RedactingJsonGeneratorDecorator();

  /** An encoder with TelemetryKit's fields and redaction. */
  public TelemetryJsonEncoder() {
    setIncludeMdc(false);
    // The field names of CONVENTIONS.md: logger and thread, no level_value or @version.
    getFieldNames().setLogger(TelemetryLogging.LOGGER_FIELD);
    getFieldNames().setThread(TelemetryLogging.THREAD_FIELD);
    getFieldNames().setLevelValue(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    getFieldNames().setVersion(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    addProvider(new TelemetryJsonProviders.ServiceName());
    addProvider(new TelemetryJsonProviders.Mdc());
    super.setJsonGeneratorDecorator(redacting);
    setThrowableConverter(new RedactingThrowableConverter());
  }

  /**
   * Sets the converter of the {@code stack_trace} field. TelemetryKit's own converter redacts
   * the throwable messages; with any other converter the whole rendered text is scanned.
   */
  @Override
  public void setThrowableConverter(ThrowableHandlingConverter converter) {
    super.setThrowableConverter(converter);
    redacting.stackTraceRedacted(converter instanceof RedactingThrowableConverter);
  }

  /** Applies {@code decorator} to the generator inside the redacting one. */
  @Override
  public void setJsonGeneratorDecorator(JsonGeneratorDecorator decorator) {
    if (decorator == null) {
      super.setJsonGeneratorDecorator(redacting);
      return;
    }
    super.setJsonGeneratorDecorator(generator -> redacting.decorate(decorator.decorate(generator)));
  }
}
