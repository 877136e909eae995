package dev.telemetrykit.http.internal;

/** Small parsing helpers shared by the filters. */
public final class ContentLength {

  private ContentLength() {}

  /** A Content-Length value as a number, or -1 when absent or not a plain decimal number. */
  public static long parse(String v) {
    if (v == null) {
      return -1;
    }
    int n = v.length();
    if (n == 0 || n > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
