package dev.telemetrykit.http.internal;

/**
 * Turns a raw path into a low-cardinality route when no template is known: segments that look
 * like identifiers become {@value #ID}. A segment is an identifier when it is
 * <ul>
 *   <li>all decimal digits ({@code /orders/12345});
 *   <li>a UUID ({@code 8-4-4-4-12} hex digits);
 *   <li>at least 16 hex digits ({@code /blobs/9f86d081884c7d65});
 *   <li>at least 16 base64/base64url characters with at least one digit
 *       ({@code /tokens/dGhpcyBpcyBhIHRva2Vu1}).
 * </ul>
 * A path that needs no change is returned as the same instance (no allocation). The query
 * string must already be cut off. Stateless and thread-safe.
 */
public final class PathNormalizer {

  /** Replacement of an identifier segment. */
  public static final String ID = "{id}";

  /** Paths longer than this are cut (the cardinality guard still caps the route count). */
  static final int MAX_LENGTH = 256;

  private PathNormalizer() {}

  /** The normalised path. */
  public static String normalize(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int len = path.length();
    StringBuilder out = null;
    int start = 0;
    while (start <= len) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? len : slash;
      if (end > start && isIdentifier(path, start, end)) {
        if (out == null) {
          out = new StringBuilder(Math.min(len, MAX_LENGTH));
          out.append(path, 0, start);
        }
        out.append(ID);
      } else if (out != null) {
        out.append(path, start, end);
      }
      if (slash < 0) {
        break;
      }
      if (out != null) {
        out.append('/');
      }
      start = slash + 1;
    }
    String result = out == null ? path : out.toString();
    return result.length() <= MAX_LENGTH ? result : result.substring(0, MAX_LENGTH);
  }

  static boolean isIdentifier(String s, int start, int end) {
    int n = end - start;
    boolean allDigits = true;
    boolean allHex = true;
    boolean allBase64 = true;
    boolean anyDigit = false;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      boolean b64 = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || c == '+' || c == '-' || c == '_' || c == '=' || c == '%';
      anyDigit |= digit;
      allDigits &= digit;
      allHex &= hex;
      allBase64 &= b64;
    }
    if (allDigits) {
      return true;
    }
    if (n == 36 && isUuid(s, start)) {
      return true;
    }
    if (n >= 16 && allHex) {
      return true;
    }
    return n >= 16 && allBase64 && anyDigit;
  }

  private static boolean isUuid(String s, int start) {
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(start + i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
