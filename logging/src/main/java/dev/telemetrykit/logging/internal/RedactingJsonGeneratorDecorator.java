package dev.telemetrykit.logging.internal;

import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
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
    if (generator.getCharacterEscapes() == null) {
      // Jackson writes these raw (valid JSON), but JavaScript-based and Unicode-aware line
      // splitters end a line there; escaped, every splitter sees one event per line. Jackson
      // consults the escapes only after a non-ASCII character, so ASCII text keeps its fast path.
      generator.setCharacterEscapes(LineSeparatorEscapes.INSTANCE);
    }
    return new RedactingJsonGenerator(generator, policy, stackTraceRedacted);
  }

  /** Standard JSON escaping plus U+0085, U+2028 and U+2029 as {@code \\uXXXX}. */
  static final class LineSeparatorEscapes extends CharacterEscapes {
    static final LineSeparatorEscapes INSTANCE = new LineSeparatorEscapes();
    private static final SerializedString NEL = new SerializedString("\\u0085");
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");
    private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      switch (ch) {
        case 0x85:
          return NEL;
        case 0x2028:
          return LS;
        case 0x2029:
          return PS;
        default:
          return null;
      }
    }
  }
}
