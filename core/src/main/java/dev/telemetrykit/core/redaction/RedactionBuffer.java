package dev.telemetrykit.core.redaction;

/**
 * A reusable character buffer that {@link Redactor#redact(String, RedactionBuffer)} writes
 * redacted text into, so an encoder that can write characters (e.g. Jackson's
 * {@code JsonGenerator.writeString(char[], int, int)}) masks a value without building a new
 * {@code String}. Hold one per encoder thread; not thread-safe.
 *
 * <pre>{@code
 * RedactionBuffer buffer = new RedactionBuffer();
 * if (redactor.redact(value, buffer)) {
 *   generator.writeString(buffer.chars(), 0, buffer.length());
 * } else {
 *   generator.writeString(value);
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class RedactionBuffer {

  private static final int INITIAL = 256;
  /** Beyond this a buffer is dropped after use, so one huge line does not pin its memory. */
  private static final int KEEP = 16_384;

  private char[] chars = new char[INITIAL];
  private int length;

  /** An empty buffer. */
  public RedactionBuffer() {}

  /** The characters; valid from index 0 to {@link #length()}. */
  public char[] chars() {
    return chars;
  }

  /** How many characters the last redaction wrote. */
  public int length() {
    return length;
  }

  /** Forgets a large backing array after it was written out; call after each use. */
  public void release() {
    if (chars.length > KEEP) {
      chars = new char[INITIAL];
    }
    length = 0;
  }

  void clear(int expected) {
    length = 0;
    if (expected > chars.length) {
      chars = new char[Math.max(expected, chars.length * 2)];
    }
  }

  void append(String s, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    ensure(length + n);
    s.getChars(from, to, chars, length);
    length += n;
  }

  void append(String s) {
    append(s, 0, s.length());
  }

  private void ensure(int capacity) {
    if (capacity > chars.length) {
      char[] bigger = new char[Math.max(capacity, chars.length * 2)];
      System.arraycopy(chars, 0, bigger, 0, length);
      chars = bigger;
    }
  }
}
