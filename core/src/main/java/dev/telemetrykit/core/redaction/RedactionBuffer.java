package dev.telemetrykit.core.redaction;

/**
 * A reusable character buffer that {@link Redactor#redact(String, RedactionBuffer)} fills with
 * the text to write, so an encoder that writes characters (e.g. Jackson's
 * {@code JsonGenerator.writeString(char[], int, int)}) scans and masks a value without building a
 * new {@code String}: the detectors read one array copy of the value, and a masked value is built
 * in a second reused array. Hold one per encoder thread; not thread-safe.
 *
 * <pre>{@code
 * RedactionBuffer buffer = new RedactionBuffer();
 * redactor.redact(value, buffer);
 * generator.writeString(buffer.chars(), 0, buffer.length());
 * buffer.release();
 * }</pre>
 *
 * @since 0.2.0
 */
public final class RedactionBuffer {

  private static final int INITIAL = 256;
  /** Beyond this an array is dropped after use, so one huge line does not pin its memory. */
  private static final int KEEP = 16_384;

  /** The text as scanned: a copy of the input, read by the detectors as an array. */
  private char[] source = new char[INITIAL];
  /** The text with its secrets masked, when there were any. */
  private char[] output = new char[INITIAL];
  private char[] result = source;
  private int length;
  /** The rules of the last redaction's findings, in order; see {@link #findings()}. */
  private RedactionRule[] rules = new RedactionRule[4];
  private int findings;

  // KeyMatcher's per-thread state (see KeyMatcher#isSensitive(char[], int, int, RedactionBuffer)).
  static final int VERDICTS = 32;
  /** A key of a key=value pair, normalised. */
  final char[] keyChars = new char[KeyMatcher.MAX_KEY];
  /** The matcher the verdicts below were made by; another matcher starts them afresh. */
  KeyMatcher verdictsOf;
  final char[][] verdictKeys = new char[VERDICTS][];
  /** Length of the normalised key in each slot; -1 for an empty slot. */
  final int[] verdictLengths = new int[VERDICTS];
  final boolean[] verdicts = new boolean[VERDICTS];

  /** An empty buffer. */
  public RedactionBuffer() {}

  /** The characters of the last redaction's result; valid from index 0 to {@link #length()}. */
  public char[] chars() {
    return result;
  }

  /** How many characters the last redaction's result has. */
  public int length() {
    return length;
  }

  /**
   * How many secrets the last {@link Redactor#redact(String, RedactionBuffer)} masked into this
   * buffer (each was counted once). With {@link #finding(int)}, a caller that keeps a masked
   * result to write again can count the same findings again instead of scanning again.
   */
  public int findings() {
    return findings;
  }

  /**
   * The rule of the {@code i}-th finding of the last redaction.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < findings()}
   */
  public RedactionRule finding(int i) {
    java.util.Objects.checkIndex(i, findings);
    return rules[i];
  }

  void clearFindings() {
    findings = 0;
  }

  void recordFinding(RedactionRule rule) {
    if (findings == rules.length) {
      rules = java.util.Arrays.copyOf(rules, findings * 2);
    }
    rules[findings++] = rule;
  }

  /** Forgets large backing arrays after their content was written out; call after each use. */
  public void release() {
    if (source.length > KEEP) {
      source = new char[INITIAL];
    }
    if (output.length > KEEP) {
      output = new char[INITIAL];
    }
    result = source;
    length = 0;
  }

  /** Copies {@code text} in as the result, and returns the array the detectors scan. */
  char[] load(String text) {
    int n = text.length();
    if (n > source.length) {
      source = new char[Math.max(n, source.length * 2)];
    }
    text.getChars(0, n, source, 0);
    result = source;
    length = n;
    return source;
  }

  /** Starts an empty result in the output array, sized for about {@code expected} chars. */
  void startOutput(int expected) {
    if (expected > output.length) {
      output = new char[Math.max(expected, output.length * 2)];
    }
    result = output;
    length = 0;
  }

  void append(char[] s, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    ensure(length + n);
    System.arraycopy(s, from, output, length, n);
    length += n;
  }

  void append(String s) {
    int n = s.length();
    ensure(length + n);
    s.getChars(0, n, output, length);
    length += n;
  }

  private void ensure(int capacity) {
    if (capacity > output.length) {
      char[] bigger = new char[Math.max(capacity, output.length * 2)];
      System.arraycopy(output, 0, bigger, 0, length);
      output = bigger;
      result = output;
    }
  }
}
