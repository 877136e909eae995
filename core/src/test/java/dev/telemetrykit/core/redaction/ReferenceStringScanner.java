package dev.telemetrykit.core.redaction;

/**
 * The String-based value scanner as it was before it read char arrays (with the leak fixes of
 * the all-signals test), kept as the reference that {@code ScannerEquivalenceTest} compares the
 * array scanner with.
 *
 * <p>Each character is classified through a 128-entry table; only a few classes start a
 * detector (a digit at a word start, a trigger letter at a word start, {@code -}, {@code =},
 * {@code :}, {@code @}), and each detector looks at a bounded window (at most
 * {@link #MAX_VALUE} characters, {@link #MAX_PEM} for PEM blocks) and then resumes after what
 * it consumed, so a string of length n costs O(n) whatever its content.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
final class ReferenceStringScanner {

  static final int MAX_VALUE = 512;
  static final int MAX_PEM = 16_384;
  private static final int MAX_KEY_BACK = 64;

  private static final byte OTHER = 0;
  private static final byte DIGIT = 1;
  private static final byte LETTER = 2;
  private static final byte TRIGGER = 3;   // letter that may start a prefixed secret
  private static final byte DASH = 4;
  private static final byte SEPARATOR = 5; // = and :
  private static final byte AT = 6;
  private static final byte[] CLASS = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      CLASS[c] = LETTER;
      CLASS[Character.toUpperCase(c)] = LETTER;
    }
    for (char c : "BbeAsrgx".toCharArray()) {
      CLASS[c] = TRIGGER;
    }
    CLASS['-'] = DASH;
    CLASS['='] = SEPARATOR;
    CLASS[':'] = SEPARATOR;
    CLASS['@'] = AT;
  }

  private final KeyMatcher keys;
  private final boolean emails;

  ReferenceStringScanner(KeyMatcher keys, boolean emails) {
    this.keys = keys;
    this.emails = emails;
  }

  /** No finding. */
  static final long NONE = -1;

  /** Start index of a packed finding. */
  static int start(long finding) {
    return (int) (finding >>> 32);
  }

  /** End index (exclusive) of a packed finding. */
  static int end(long finding) {
    return (int) (finding & 0x0FFF_FFFF);
  }

  /** Rule of a packed finding. */
  static RedactionRule rule(long finding) {
    return RULES[(int) ((finding >>> 28) & 0xF)];
  }

  /**
   * The first secret in {@code s} at or after {@code from}, packed (see {@link #start},
   * {@link #end}, {@link #rule}), or {@link #NONE}. Allocates nothing.
   */
  long next(String s, int from) {
    final int n = s.length();
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 128) {
        i++;
        continue;
      }
      byte cls = CLASS[c];
      if (cls == OTHER || cls == LETTER) {
        i++;
        continue;
      }
      long r;
      switch (cls) {
        case DIGIT:
          r = wordStart(s, i) ? card(s, i, n) : skipDigits(s, i, n);
          break;
        case TRIGGER:
          r = wordStart(s, i) ? prefixed(s, i, n, c) : i + 1;
          break;
        case DASH:
          r = pem(s, i, n);
          break;
        case SEPARATOR:
          r = separator(s, i, n, c);
          break;
        default: // AT
          r = emails ? email(s, i, n, from) : i + 1;
          break;
      }
      if (r < 0) {
        return -(r + 1);
      }
      i = (int) r;
    }
    return NONE;
  }

  // A detector returns either the index to resume at (>= 0) or a finding packed as
  // -(start << 32 | rule << 28 | end) - 1. Redactor never passes strings of 2^28 chars or more.
  private static final RedactionRule[] RULES = RedactionRule.values();

  private static long hit(int start, int end, RedactionRule rule) {
    // end < 2^28 is guaranteed: strings longer than that are split by the caller.
    return -((((long) start) << 32) | ((long) rule.ordinal() << 28) | end) - 1;
  }

  private static boolean wordStart(String s, int i) {
    if (i == 0) {
      return true;
    }
    char p = s.charAt(i - 1);
    return !(p < 128 ? CLASS[p] == DIGIT || CLASS[p] == LETTER || CLASS[p] == TRIGGER
        : Character.isLetterOrDigit(p));
  }

  private static boolean isAlnum(char c) {
    return c < 128 ? CLASS[c] == DIGIT || CLASS[c] == LETTER || CLASS[c] == TRIGGER
        : Character.isLetterOrDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long skipDigits(String s, int i, int n) {
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  // ---- card numbers -------------------------------------------------------------------------

  private static final int MAX_GROUPS = 24;

  /**
   * A chain of digit groups separated by single spaces or dashes. A group of 13–19 digits is a
   * candidate on its own; consecutive groups of 3–6 digits form candidates of 13–19 digits.
   */
  private static long card(String s, int from, int n) {
    int i = from;
    int[] groups = null;
    int count = 0;
    int firstStart = from;
    int firstEnd;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    firstEnd = i;
    int firstLen = firstEnd - firstStart;
    // A single run is the common case: no array.
    if (i + 1 < n && (s.charAt(i) == ' ' || s.charAt(i) == '-') && isDigit(s.charAt(i + 1))) {
      groups = new int[MAX_GROUPS * 2];
      groups[0] = firstStart;
      groups[1] = firstEnd;
      count = 1;
      while (count < MAX_GROUPS && i + 1 < n && (s.charAt(i) == ' ' || s.charAt(i) == '-')
          && isDigit(s.charAt(i + 1))) {
        int gs = i + 1;
        int ge = gs;
        while (ge < n && isDigit(s.charAt(ge))) {
          ge++;
        }
        groups[count * 2] = gs;
        groups[count * 2 + 1] = ge;
        count++;
        i = ge;
      }
    }
    boolean chainEndOk = i >= n || !isAlnum(s.charAt(i));
    if (groups == null) {
      if (chainEndOk && firstLen >= 13 && firstLen <= 19 && luhnCard(s, firstStart, firstEnd)) {
        return hit(firstStart, firstEnd, RedactionRule.CARD_NUMBER);
      }
      return i;
    }
    for (int g = 0; g < count; g++) {
      int gs = groups[g * 2];
      int ge = groups[g * 2 + 1];
      int len = ge - gs;
      boolean endOk = g < count - 1 || chainEndOk;
      if (len >= 13 && len <= 19 && endOk && luhnCard(s, gs, ge)) {
        return hit(gs, ge, RedactionRule.CARD_NUMBER);
      }
      if (len < 3 || len > 6) {
        continue;
      }
      int digits = 0;
      int best = -1;
      for (int h = g; h < count; h++) {
        int hl = groups[h * 2 + 1] - groups[h * 2];
        // A last group of 1 or 2 digits: UIs that space every 4 digits print 13-digit cards as
        // 4-4-4-1 and 18-digit ones as 4-4-4-4-2.
        boolean shortTail = h > g && h == count - 1 && hl >= 1;
        if (hl < 3 && !shortTail || hl > 6) {
          break;
        }
        digits += hl;
        if (digits > 19) {
          break;
        }
        boolean hEndOk = h < count - 1 || chainEndOk;
        // The longest Luhn-valid run wins: a 16-digit prefix of a 19-digit card passes Luhn one
        // time in ten, and stopping there printed the last group.
        if (digits >= 13 && hEndOk && h > g && luhnCard(s, gs, groups[h * 2 + 1])) {
          best = groups[h * 2 + 1];
        }
      }
      if (best >= 0) {
        return hit(gs, best, RedactionRule.CARD_NUMBER);
      }
    }
    return i;
  }

  /** Luhn checksum over the digits of s[from, to), and a card-like first digit (2–6). */
  static boolean luhnCard(CharSequence s, int from, int to) {
    char first = s.charAt(from);
    if (first < '2' || first > '6') {
      return false;
    }
    int sum = 0;
    int digits = 0;
    boolean dbl = false;
    for (int i = to - 1; i >= from; i--) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
      digits++;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  /** Whether a whole number (e.g. a JSON number) looks like a card number. */
  static boolean isCardNumber(long value) {
    if (value < 1_000_000_000_000L) {
      return false;
    }
    String digits = Long.toString(value);
    return luhnCard(digits, 0, digits.length());
  }

  /** Whether a string of only digits looks like a card number. */
  static boolean isCardDigits(String digits) {
    int n = digits.length();
    if (n < 13 || n > 19) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!isDigit(digits.charAt(i))) {
        return false;
      }
    }
    return luhnCard(digits, 0, n);
  }

  // ---- prefixed tokens ----------------------------------------------------------------------

  private long prefixed(String s, int i, int n, char c) {
    switch (c) {
      case 'B':
      case 'b':
        if (s.regionMatches(true, i, "bearer ", 0, 7)) {
          return authToken(s, i + 7, n, i + 1, false);
        }
        if (s.regionMatches(true, i, "basic ", 0, 6)) {
          return authToken(s, i + 6, n, i + 1, true);
        }
        return i + 1;
      case 'e':
        return s.startsWith("eyJ", i) ? jwt(s, i, n) : i + 1;
      case 'A':
        if (s.startsWith("AKIA", i) || s.startsWith("ASIA", i)) {
          int end = i + 20;
          if (end <= n && (end == n || !isAlnum(s.charAt(end)))) {
            for (int k = i + 4; k < end; k++) {
              char ch = s.charAt(k);
              if (!(ch >= 'A' && ch <= 'Z' || isDigit(ch))) {
                return i + 1;
              }
            }
            return hit(i, end, RedactionRule.AWS_ACCESS_KEY);
          }
        }
        return i + 1;
      case 's':
      case 'r':
        if (s.startsWith("k_live_", i + 1) || s.startsWith("k_test_", i + 1)) {
          return token(s, i, i + 8, n, 10, false);
        }
        if (c == 's' && s.startsWith("k-", i + 1)) {
          return token(s, i, i + 3, n, 20, true);
        }
        return i + 1;
      case 'g':
        if (s.startsWith("gh", i) && i + 3 < n && s.charAt(i + 3) == '_'
            && "pousr".indexOf(s.charAt(i + 2)) >= 0) {
          return token(s, i, i + 4, n, 20, false);
        }
        if (s.startsWith("github_pat_", i)) {
          return token(s, i, i + 11, n, 20, false);
        }
        if (s.startsWith("glpat-", i)) {
          return token(s, i, i + 6, n, 20, true);
        }
        return i + 1;
      case 'x':
        if (s.startsWith("xox", i) && i + 4 < n && s.charAt(i + 4) == '-'
            && "abeoprs".indexOf(s.charAt(i + 3)) >= 0) {
          return token(s, i, i + 5, n, 10, true);
        }
        return i + 1;
      default:
        return i + 1;
    }
  }

  private static boolean tokenChar(char c, boolean dash) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || dash && c == '-';
  }

  private static long token(String s, int start, int from, int n, int minLen, boolean dash) {
    int limit = Math.min(n, from + MAX_VALUE);
    int k = from;
    while (k < limit && tokenChar(s.charAt(k), dash)) {
      k++;
    }
    if (k - from >= minLen) {
      return hit(start, k, RedactionRule.API_TOKEN);
    }
    return from;
  }

  /** Bearer / Basic credentials: masks the credential, keeps the scheme word. */
  private static long authToken(String s, int from, int n, int resume, boolean basic) {
    int k = from;
    while (k < n && k < from + 4 && s.charAt(k) == ' ') {
      k++;
    }
    int start = k;
    int limit = Math.min(n, start + MAX_VALUE);
    boolean special = false;
    while (k < limit) {
      char c = s.charAt(k);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        k++;
      } else if (isDigit(c) || c == '+' || c == '/' || c == '=') {
        special = true;
        k++;
      } else if (!basic && (c == '-' || c == '.' || c == '_' || c == '~')) {
        special = true;
        k++;
      } else {
        break;
      }
    }
    int len = k - start;
    if (basic) {
      if (len >= 8 && len % 4 == 0) {
        return hit(start, k, RedactionRule.BASIC_AUTH);
      }
    } else if (len >= 10 && special || len >= 24) {
      return hit(start, k, RedactionRule.BEARER);
    }
    return resume;
  }

  private static boolean b64url(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '_';
  }

  private static long jwt(String s, int i, int n) {
    int limit = Math.min(n, i + 8 * MAX_VALUE);
    int k = i;
    int dots = 0;
    int partLen = 0;
    while (k < limit) {
      char c = s.charAt(k);
      if (b64url(c)) {
        partLen++;
      } else if (c == '.' && dots < 2 && partLen >= 10) {
        dots++;
        partLen = 0;
      } else {
        break;
      }
      k++;
    }
    if (dots == 2 || dots == 1 && partLen >= 10) {
      return hit(i, k, RedactionRule.JWT);
    }
    return i + 3;
  }

  // ---- PEM ----------------------------------------------------------------------------------

  private static long pem(String s, int i, int n) {
    if (!s.startsWith("-----BEGIN ", i)) {
      return i + 1;
    }
    int headerEnd = s.indexOf("-----", i + 11);
    if (headerEnd < 0 || headerEnd - i > 64) {
      return i + 11;
    }
    if (!s.startsWith("PRIVATE KEY", headerEnd - 11)) {
      return headerEnd + 5;
    }
    int bodyStart = headerEnd + 5;
    int limit = Math.min(n, bodyStart + MAX_PEM);
    int end = s.indexOf("-----END ", bodyStart);
    if (end < 0 || end >= limit) {
      return hit(i, limit == n ? n : limit, RedactionRule.PRIVATE_KEY);
    }
    int close = s.indexOf("-----", end + 9);
    int stop = close < 0 || close - end > 64 ? Math.min(n, end + 9) : close + 5;
    return hit(i, stop, RedactionRule.PRIVATE_KEY);
  }

  // ---- key=value, "key":"value", URL user-info ----------------------------------------------

  private long separator(String s, int i, int n, char c) {
    if (c == ':' && i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
      return userInfo(s, i + 3, n);
    }
    // Walk back over a closing quote (optionally escaped) and spaces to the key.
    int j = i - 1;
    int spaces = 0;
    while (j >= 0 && s.charAt(j) == ' ' && spaces < 2) {
      j--;
      spaces++;
    }
    boolean quotedKey = false;
    if (j >= 0 && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
      quotedKey = true;
      j--;
      if (j >= 0 && s.charAt(j) == '\\') {
        j--;
      }
    }
    int keyEnd = j + 1;
    int stop = Math.max(0, keyEnd - MAX_KEY_BACK);
    while (j >= stop && keyChar(s.charAt(j))) {
      j--;
    }
    int keyStart = j + 1;
    if (keyStart == keyEnd || !isLetterAscii(s.charAt(keyStart)) && !quotedKey) {
      return i + 1;
    }
    // The rules on the String path (normalise, then match), not the array path under test.
    if (!keys.isSensitiveNormalized(KeyMatcher.normalize(s.substring(keyStart, keyEnd)))) {
      return i + 1;
    }
    return value(s, i + 1, n);
  }

  private static boolean isLetterAscii(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static boolean keyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '-'
        || c == '.';
  }

  /** The value after a sensitive key's separator; masks it and resumes after it. */
  private static long value(String s, int from, int n) {
    int k = from;
    while (k < n && k < from + 4 && s.charAt(k) == ' ') {
      k++;
    }
    if (k >= n) {
      return n;
    }
    int limit = Math.min(n, k + MAX_VALUE);
    char q = s.charAt(k);
    boolean escapedQuote = q == '\\' && k + 1 < n && s.charAt(k + 1) == '"';
    if (q == '"' || q == '\'' || escapedQuote) {
      char quote = escapedQuote ? '"' : q;
      int start = k + (escapedQuote ? 2 : 1);
      // A quote doubled, as SQL escapes it inside a literal: a driver's error message quoting
      // WHERE note = 'password=''hunter2''' shows password=''hunter2'''. An empty value
      // (password='' and ...) is left alone: a value character must follow.
      if (!escapedQuote && start + 1 < n && s.charAt(start) == quote
          && !valueEnd(s.charAt(start + 1))) {
        start++;
      }
      int e = start;
      while (e < limit) {
        char ch = s.charAt(e);
        if (ch == '\\' && e + 1 < n) {
          if (escapedQuote && s.charAt(e + 1) == quote) {
            break;
          }
          e += 2;
          continue;
        }
        if (ch == quote || ch == '\n' || ch == '\r') {
          break;
        }
        e++;
      }
      if (e > limit) {
        e = limit;
      }
      return e > start ? hit(start, e, RedactionRule.KEY_VALUE) : e;
    }
    if (q == '{' || q == '[') {
      // A nested map or list: mask to its matching bracket (or the end of the line), bounded.
      char close = q == '{' ? '}' : ']';
      int nesting = 0;
      int e = k;
      while (e < limit) {
        char ch = s.charAt(e);
        if (ch == q) {
          nesting++;
        } else if (ch == close && --nesting == 0) {
          e++;
          break;
        } else if (ch == '\n' || ch == '\r') {
          break;
        }
        e++;
      }
      return hit(k, e, RedactionRule.KEY_VALUE);
    }
    int start = k;
    int e = k;
    while (e < limit && !valueEnd(s.charAt(e))) {
      e++;
    }
    // "authorization: Bearer abc" masks the scheme and the credential.
    int word = e - start;
    if ((word == 6 && s.regionMatches(true, start, "bearer", 0, 6)
        || word == 5 && s.regionMatches(true, start, "basic", 0, 5))
        && e + 1 < n && s.charAt(e) == ' ') {
      e++;
      while (e < limit && !valueEnd(s.charAt(e))) {
        e++;
      }
    }
    return e > start ? hit(start, e, RedactionRule.KEY_VALUE) : e;
  }

  private static boolean valueEnd(char c) {
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case ',':
      case ';':
      case '&':
      case '"':
      case '\'':
      case '\\':
      case '}':
      case ']':
      case ')':
      case '<':
      case '>':
        return true;
      default:
        return false;
    }
  }

  private static long userInfo(String s, int from, int n) {
    int limit = Math.min(n, from + 256);
    int colon = -1;
    for (int k = from; k < limit; k++) {
      char c = s.charAt(k);
      if (c == '@') {
        if (colon > 0 && k > colon + 1) {
          return hit(colon + 1, k, RedactionRule.URL_PASSWORD);
        }
        return k + 1;
      }
      if (c == ':' && colon < 0) {
        colon = k;
      } else if (c == '/' || c == ' ' || c == '?' || c == '#' || c == '"' || c == '\n'
          || c == '\r' || c == '\t') {
        return from;
      }
    }
    return from;
  }

  // ---- e-mail (optional) --------------------------------------------------------------------

  private static boolean localChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '.' || c == '_'
        || c == '%' || c == '+' || c == '-';
  }

  private static long email(String s, int at, int n, int from) {
    int j = at - 1;
    // Never back into text before 'from': it may be an earlier finding (the password of
    // jdbc:postgresql://user:password@host), and a finding starting there overlapped it.
    int stop = Math.max(from, at - 64);
    while (j >= stop && localChar(s.charAt(j))) {
      j--;
    }
    int start = j + 1;
    if (start == at) {
      return at + 1;
    }
    int k = at + 1;
    int limit = Math.min(n, k + 253);
    int lastDot = -1;
    while (k < limit) {
      char c = s.charAt(k);
      if (c == '.') {
        lastDot = k;
      } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-')) {
        break;
      }
      k++;
    }
    int end = k;
    while (end > at + 1 && s.charAt(end - 1) == '.') {
      end--;
    }
    lastDot = s.lastIndexOf('.', end - 1);
    if (lastDot > at + 1 && end - lastDot > 2) {
      return hit(start, end, RedactionRule.EMAIL);
    }
    return at + 1;
  }
}
