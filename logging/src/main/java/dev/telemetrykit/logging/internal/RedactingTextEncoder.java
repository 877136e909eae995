package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * The readable plain-text mode ({@code TELEMETRYKIT_LOG_FORMAT=text}): a pattern layout whose
 * whole output is passed through the same value redaction as the JSON (key-based masking of
 * structured fields does not apply: text has no fields). Meant for local development.
 */
public final class RedactingTextEncoder extends EncoderBase<ILoggingEvent> {

  /** Time, level, thread, logger, correlation and trace IDs, message, exception. */
  public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36}"
      + "%replace( correlation_id=%X{correlation_id}){' correlation_id=$', ''}"
      + "%replace( trace_id=%X{trace_id}){' trace_id=$', ''} - %msg%n";

  private final PatternLayout layout = new PatternLayout();

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.setPattern(PATTERN);
    layout.start();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = layout.doLayout(event);
    return LoggingState.redactor().redact(line).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
