package dev.telemetrykit.http.internal;

import dev.telemetrykit.http.HttpNames;

/** The HTTP methods the semantic conventions know, as small indexes; anything else is _OTHER. */
public final class Methods {

  /** Method names by index; the last one is {@value HttpNames#OTHER}. */
  static final String[] NAMES = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
      HttpNames.OTHER};
  /** Index of {@value HttpNames#OTHER}. */
  public static final int OTHER = NAMES.length - 1;
  /** Number of indexes. */
  public static final int COUNT = NAMES.length;

  private Methods() {}

  /** Index of a method (case-sensitive, as HTTP methods are); unknown → {@link #OTHER}. */
  public static int index(String method) {
    if (method == null) {
      return OTHER;
    }
    // GET and POST by their characters: a switch on the String hashes the request's new method
    // String and reads the constant's bytes, two cold cache lines per request in a server.
    int n = method.length();
    if (n == 3 && method.charAt(0) == 'G' && method.charAt(1) == 'E' && method.charAt(2) == 'T') {
      return 0;
    }
    if (n == 4 && method.charAt(0) == 'P' && method.charAt(1) == 'O' && method.charAt(2) == 'S'
        && method.charAt(3) == 'T') {
      return 2;
    }
    switch (method) {
      case "GET": return 0;
      case "HEAD": return 1;
      case "POST": return 2;
      case "PUT": return 3;
      case "DELETE": return 4;
      case "CONNECT": return 5;
      case "OPTIONS": return 6;
      case "TRACE": return 7;
      case "PATCH": return 8;
      default: return OTHER;
    }
  }

  /** The label value of an index. */
  public static String name(int index) {
    return NAMES[index];
  }
}
