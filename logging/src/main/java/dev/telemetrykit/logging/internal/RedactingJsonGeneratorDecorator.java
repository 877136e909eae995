package dev.telemetrykit.logging.internal;

import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import com.fasterxml.jackson.core.JsonGenerator;
import java.util.Objects;
import java.util.function.Supplier;
import net.logstash.logback.decorate.JsonGeneratorDecorator;

/**
 * LLE's generator decorator SPI, wrapping each generator LLE creates in a
 * {@link RedactingJsonGenerator} that follows {@code policy} (read once per log line).
 */
public final class RedactingJsonGeneratorDecorator implements JsonGeneratorDecorator {

  private final Supplier<Redactor> policy;
  private volatile boolean stackTraceRedacted;

  /** Follows the process-wide policy ({@link LoggingState#redactor()}). */
  public RedactingJsonGeneratorDecorator() {
    this(LoggingState::redactor);
  }

  /** Follows the given policy. */
  public RedactingJsonGeneratorDecorator(Supplier<Redactor> policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Whether the stack trace text is already redacted (by {@link RedactingThrowableConverter}),
   * so the generator need not scan it again.
   */
  public void stackTraceRedacted(boolean redacted) {
    this.stackTraceRedacted = redacted;
  }

  @Override
  public JsonGenerator decorate(JsonGenerator generator) {
    return new RedactingJsonGenerator(generator, policy, stackTraceRedacted);
  }
}
