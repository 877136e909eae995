package dev.telemetrykit.logging.internal;

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

  /** Follows the process-wide policy ({@link LoggingState#redactor()}). */
  public RedactingJsonGeneratorDecorator() {
    this(LoggingState::redactor);
  }

  /** Follows the given policy. */
  public RedactingJsonGeneratorDecorator(Supplier<Redactor> policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public JsonGenerator decorate(JsonGenerator generator) {
    return new RedactingJsonGenerator(generator, policy);
  }
}
