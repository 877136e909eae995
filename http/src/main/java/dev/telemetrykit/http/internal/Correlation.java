package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Correlation IDs: which headers to read, which values to accept, how to make a new one.
 * Immutable and thread-safe.
 */
public final class Correlation {

  /** Longest accepted incoming ID. */
  public static final int MAX_LENGTH = 200;

  private final String[] headers;
  private final boolean echo;

  /** @param headers header names read in order; the first is the one echoed for new IDs */
  public Correlation(List<String> headers) {
    this(headers, true);
  }

  /**
   * @param headers header names read in order; the first is the one echoed for new IDs
   * @param echo whether the server filters echo the ID in the response
   */
  public Correlation(List<String> headers, boolean echo) {
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("Give at least one correlation header name");
    }
    for (String h : headers) {
      if (h == null || h.isBlank() || !isToken(h)) {
        throw new IllegalArgumentException("Invalid correlation header name '" + h
            + "': use an HTTP token such as X-Request-ID");
      }
    }
    this.headers = headers.toArray(new String[0]);
    this.echo = echo;
  }

  /** Whether the server filters echo the ID in the response. */
  public boolean echo() {
    return echo;
  }

  /** Header names read in order. */
  public String[] headers() {
    return headers;
  }

  /** The header echoed and sent for a generated ID. */
  public String primaryHeader() {
    return headers[0];
  }

  /**
   * True when the value is 1–200 characters of {@code [A-Za-z0-9._@+/=:-]} and the redaction
   * engine finds no secret in it ({@code password=hunter2}, an AWS key, a JWT, ...). A rejected
   * ID is replaced by a generated one, so the echoed header and the log line always agree and no
   * secret is reflected; a secret found is counted in
   * {@code telemetrykit_redactions_total{signal="log"}}.
   */
  public static boolean isValid(String value) {
    return hasValidShape(value) && !holdsSecret(value);
  }

  private static boolean holdsSecret(String value) {
    try {
      // redact() returns the same instance when it finds nothing (and counts what it finds).
      return Redactor.current().forSignal(Signal.LOG).redact(value) != value;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static boolean hasValidShape(String value) {
    if (value == null) {
      return false;
    }
    int n = value.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '@' || c == '+' || c == '/' || c == '=' || c == ':'
          || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A new random ID: 32 lower-case hex characters (128 bits). */
  public static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong();
    long lo = r.nextLong();
    // Latin-1 bytes: the String keeps them as they are (a char[] would be compressed, a copy).
    byte[] out = new byte[32];
    for (int i = 0; i < 16; i++) {
      out[15 - i] = hexDigit((int) (hi >>> (i * 4)) & 0xf);
      out[31 - i] = hexDigit((int) (lo >>> (i * 4)) & 0xf);
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The lower-case hex digit of {@code 0 <= d < 16}, computed: a lookup table would be one more
   * cache line per request, missed in a server more often than not.
   */
  static byte hexDigit(int d) {
    // (9 - d) >> 31 is -1 for d > 9, else 0: adds the gap between '9' + 1 and 'a' only there.
    return (byte) ('0' + d + (((9 - d) >> 31) & ('a' - '9' - 1)));
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
