package dev.telemetrykit.core.redaction;

/**
 * Finds secrets inside a string in one left-to-right pass, without regular expressions.
 *
 * <p>Each character is classified through a 128-entry table; only a few classes start a
 * detector (a digit at a word start, a trigger letter at a word start, {@code -}, {@code =},
 * {@code :}, {@code @}), and each detector looks at a bounded window (at most
 * {@link #MAX_VALUE} characters, {@link #MAX_PEM} for PEM blocks) and then resumes after what
 * it consumed, so a string of length n costs O(n) whatever its content.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
final class ValueScanner {

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
  /** 1 for an ASCII letter or digit: one load per character in the word loops. */
  private static final byte[] WORD = new byte[128];

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
    for (int c = 0; c < 128; c++) {
      WORD[c] = (byte) (CLASS[c] >= DIGIT && CLASS[c] <= TRIGGER ? 1 : 0);
    }
  }

  private final KeyMatcher keys;
  private final boolean emails;

  ValueScanner(KeyMatcher keys, boolean emails) {
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
   * The first secret in {@code s[0, n)} at or after {@code from}, packed (see {@link #start},
   * {@link #end}, {@link #rule}), or {@link #NONE}. {@code scratch} lends the key matcher its
   * buffers (its text arrays are not touched), so the scan allocates nothing and reads no
   * thread-local.
   */
  long next(char[] s, int n, int from, RedactionBuffer scratch) {
    int i = from;
    while (i < n) {
      char c = s[i];
      if (c >= 128) {
        i++;
        continue;
      }
      byte cls = CLASS[c];
      if (cls == OTHER) {
        i++;
        continue;
      }
      if (cls == LETTER) {
        // No detector starts at an ASCII letter or digit inside a word: skip the word's rest.
        i = skipWord(s, i + 1, n);
        continue;
      }
      long r;
      switch (cls) {
        case DIGIT:
          r = wordStart(s, i) ? card(s, i, n) : skipWord(s, i + 1, n);
          break;
        case TRIGGER:
          r = wordStart(s, i) ? prefixed(s, i, n, c) : skipWord(s, i + 1, n);
          break;
        case DASH:
          r = pem(s, i, n);
          break;
        case SEPARATOR:
          r = separator(s, i, n, c, scratch);
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

  /** The longest text {@link #idShaped} accepts. */
  static final int MAX_ID = 64;
  private static final int ID_DIGIT = 1;
  private static final int ID_LETTER = 2;
  private static final int ID_DASH = 4;
  /** {@link #idShaped}'s classes: a digit, a letter {@code a-f}, a dash; 0 for anything else. */
  private static final byte[] ID_CHAR = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      ID_CHAR[c] = ID_DIGIT;
    }
    for (char c = 'a'; c <= 'f'; c++) {
      ID_CHAR[c] = ID_LETTER;
    }
    ID_CHAR['-'] = ID_DASH;
  }

  /**
   * Whether {@code s[0, n)} has the shape of an identifier no detector can match, so the scan
   * is skipped: trace, span and correlation IDs are on every log line, and one tight loop over
   * them costs a fraction of the detectors' dispatch. The shapes, and why no detector matches:
   * <ul>
   *   <li>1–{@value #MAX_ID} lower-case hex digits with a letter {@code a-f}, or fewer than 13
   *       digits: one word, so a card would have to be all of it and all digits (and 13 or
   *       more); no prefix fits ({@code b}/{@code e} start {@code bearer}/{@code basic}/
   *       {@code eyJ}, whose next letters are not hex); no separator, dash or {@code @};</li>
   *   <li>a canonical lower-case UUID ({@code 8-4-4-4-12}): its longest digit-group chain a
   *       card could use is {@code 4-4-4}, 12 digits, and single dashes start no PEM block.</li>
   * </ul>
   * A new detector that can match such text must narrow this; {@code ScannerEquivalenceTest}
   * checks the reference scanner finds nothing in generated IDs of both shapes.
   */
  static boolean idShaped(char[] s, int n) {
    if (n == 0 || n > MAX_ID) {
      return false;
    }
    // One table read per character and no branch on its kind; the dash positions are checked
    // once at the end.
    int kinds = 0;
    int dashes = 0;
    for (int i = 0; i < n; i++) {
      char c = s[i];
      int k = c < 128 ? ID_CHAR[c] : 0;
      if (k == 0) {
        return false;
      }
      kinds |= k;
      dashes += k >> 2;
    }
    if (dashes == 0) {
      return (kinds & ID_LETTER) != 0 || n < 13;
    }
    return dashes == 4 && n == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
  }

  // A detector returns either the index to resume at (>= 0) or a finding packed as
  // -(start << 32 | rule << 28 | end) - 1. Redactor never passes strings of 2^28 chars or more.
  private static final RedactionRule[] RULES = RedactionRule.values();

  private static long hit(int start, int end, RedactionRule rule) {
    // end < 2^28 is guaranteed: strings longer than that are split by the caller.
    return -((((long) start) << 32) | ((long) rule.ordinal() << 28) | end) - 1;
  }

  /** The index of the first char at or after {@code i} that is not an ASCII letter or digit. */
  private static int skipWord(char[] s, int i, int n) {
    while (i < n) {
      char c = s[i];
      if (c >= 128 || WORD[c] == 0) {
        return i;
      }
      i++;
    }
    return i;
  }

  private static boolean wordStart(char[] s, int i) {
    if (i == 0) {
      return true;
    }
    char p = s[i - 1];
    return !(p < 128 ? WORD[p] != 0 : Character.isLetterOrDigit(p));
  }

  private static boolean isAlnum(char c) {
    return c < 128 ? WORD[c] != 0 : Character.isLetterOrDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---- char[] counterparts of the String methods the detectors use ---------------------------

  /** {@code String.startsWith(prefix, i)} on {@code s[0, n)}. */
  private static boolean startsWith(char[] s, int n, int i, String prefix) {
    int len = prefix.length();
    if (i < 0 || i > n - len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (s[i + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code String.regionMatches(true, i, word, 0, word.length())} on {@code s[0, n)}, with the
   * JDK's rule: equal, or equal upper case, or equal lower case of the upper case.
   */
  private static boolean regionMatchesCI(char[] s, int n, int i, String word) {
    int len = word.length();
    if (i < 0 || i > n - len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      char c1 = s[i + k];
      char c2 = word.charAt(k);
      if (c1 == c2) {
        continue;
      }
      char u1 = Character.toUpperCase(c1);
      char u2 = Character.toUpperCase(c2);
      if (u1 == u2 || Character.toLowerCase(u1) == Character.toLowerCase(u2)) {
        continue;
      }
      return false;
    }
    return true;
  }

  /** {@code String.indexOf(str, from)} on {@code s[0, n)}. */
  private static int indexOf(char[] s, int n, int from, String str) {
    int len = str.length();
    char first = str.charAt(0);
    for (int i = Math.max(0, from); i <= n - len; i++) {
      if (s[i] == first && startsWith(s, n, i, str)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code String.lastIndexOf(c, from)} on {@code s}. */
  private static int lastIndexOf(char[] s, char c, int from) {
    for (int i = from; i >= 0; i--) {
      if (s[i] == c) {
        return i;
      }
    }
    return -1;
  }

  // ---- card numbers -------------------------------------------------------------------------

  private static final int MAX_GROUPS = 24;

  /**
   * A chain of digit groups separated by single spaces or dashes. A group of 13–19 digits is a
   * candidate on its own; consecutive groups of 3–6 digits form candidates of 13–19 digits.
   */
  private static long card(char[] s, int from, int n) {
    int i = from;
    int[] groups = null;
    int count = 0;
    int firstStart = from;
    int firstEnd;
    while (i < n && isDigit(s[i])) {
      i++;
    }
    firstEnd = i;
    int firstLen = firstEnd - firstStart;
    // A single run is the common case: no array.
    if (i + 1 < n && (s[i] == ' ' || s[i] == '-') && isDigit(s[i + 1])) {
      groups = new int[MAX_GROUPS * 2];
      groups[0] = firstStart;
      groups[1] = firstEnd;
      count = 1;
      while (count < MAX_GROUPS && i + 1 < n && (s[i] == ' ' || s[i] == '-')
          && isDigit(s[i + 1])) {
        int gs = i + 1;
        int ge = gs;
        while (ge < n && isDigit(s[ge])) {
          ge++;
        }
        groups[count * 2] = gs;
        groups[count * 2 + 1] = ge;
        count++;
        i = ge;
      }
    }
    boolean chainEndOk = i >= n || !isAlnum(s[i]);
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
  static boolean luhnCard(char[] s, int from, int to) {
    char first = s[from];
    if (first < '2' || first > '6') {
      return false;
    }
    int sum = 0;
    int digits = 0;
    boolean dbl = false;
    for (int i = to - 1; i >= from; i--) {
      char c = s[i];
      if (!isDigit(c)) {
        continue;
      }
      sum += luhnTerm(c - '0', dbl);
      dbl = !dbl;
      digits++;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  /** A digit's term in the Luhn sum: every second digit from the right is doubled. */
  private static int luhnTerm(int digit, boolean doubled) {
    if (!doubled) {
      return digit;
    }
    int d = digit * 2;
    return d > 9 ? d - 9 : d;
  }

  /** Whether a whole number (e.g. a JSON number) looks like a card number. */
  static boolean isCardNumber(long value) {
    if (value < 1_000_000_000_000L) {
      return false;
    }
    // The same Luhn rule over the decimal digits, without making a String of them.
    int sum = 0;
    int digits = 0;
    int first = 0;
    boolean dbl = false;
    for (long v = value; v > 0; v /= 10) {
      int d = (int) (v % 10);
      first = d;
      sum += luhnTerm(d, dbl);
      dbl = !dbl;
      digits++;
    }
    return first >= 2 && first <= 6 && digits >= 13 && digits <= 19 && sum % 10 == 0;
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
    return luhnCard(digits.toCharArray(), 0, n); // rare: big decimals written as text
  }

  // ---- prefixed tokens ----------------------------------------------------------------------

  private long prefixed(char[] s, int i, int n, char c) {
    // Each case first rejects on the second character with one compare, since trigger letters
    // start many ordinary words; only a plausible second character pays the full prefix checks.
    if (i + 1 >= n) {
      return i + 1;
    }
    char second = s[i + 1];
    switch (c) {
      case 'B':
      case 'b':
        // Case-insensitive below by the JDK's rule; only an ASCII second character other than
        // e/E/a/A is rejected early (no non-ASCII character folds to those two letters).
        if (second < 128 && (second | 0x20) != 'e' && (second | 0x20) != 'a') {
          return i + 1;
        }
        if (regionMatchesCI(s, n, i, "bearer ")) {
          return authToken(s, i + 7, n, i + 1, false);
        }
        if (regionMatchesCI(s, n, i, "basic ")) {
          return authToken(s, i + 6, n, i + 1, true);
        }
        return i + 1;
      case 'e':
        return second == 'y' && startsWith(s, n, i, "eyJ") ? jwt(s, i, n) : i + 1;
      case 'A':
        if ((second == 'K' || second == 'S')
            && (startsWith(s, n, i, "AKIA") || startsWith(s, n, i, "ASIA"))) {
          int end = i + 20;
          if (end <= n && (end == n || !isAlnum(s[end]))) {
            for (int k = i + 4; k < end; k++) {
              char ch = s[k];
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
        if (second != 'k') {
          return i + 1;
        }
        if (startsWith(s, n, i + 1, "k_live_") || startsWith(s, n, i + 1, "k_test_")) {
          return token(s, i, i + 8, n, 10, false);
        }
        if (c == 's' && startsWith(s, n, i + 1, "k-")) {
          return token(s, i, i + 3, n, 20, true);
        }
        return i + 1;
      case 'g':
        if (second != 'h' && second != 'i' && second != 'l') {
          return i + 1;
        }
        if (startsWith(s, n, i, "gh") && i + 3 < n && s[i + 3] == '_'
            && "pousr".indexOf(s[i + 2]) >= 0) {
          return token(s, i, i + 4, n, 20, false);
        }
        if (startsWith(s, n, i, "github_pat_")) {
          return token(s, i, i + 11, n, 20, false);
        }
        if (startsWith(s, n, i, "glpat-")) {
          return token(s, i, i + 6, n, 20, true);
        }
        return i + 1;
      case 'x':
        if (second == 'o' && startsWith(s, n, i, "xox") && i + 4 < n && s[i + 4] == '-'
            && "abeoprs".indexOf(s[i + 3]) >= 0) {
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

  private static long token(char[] s, int start, int from, int n, int minLen, boolean dash) {
    int limit = Math.min(n, from + MAX_VALUE);
    int k = from;
    while (k < limit && tokenChar(s[k], dash)) {
      k++;
    }
    if (k - from >= minLen) {
      return hit(start, k, RedactionRule.API_TOKEN);
    }
    return from;
  }

  /** Credential chars: {@code 1} a letter, {@code SPECIAL} any other allowed char, 0 the end. */
  private static final byte[] BEARER_CHAR = new byte[128];
  private static final byte[] BASIC_CHAR = new byte[128];
  private static final int SPECIAL = 2;

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      BEARER_CHAR[c] = BASIC_CHAR[c] = 1;
      BEARER_CHAR[Character.toUpperCase(c)] = BASIC_CHAR[Character.toUpperCase(c)] = 1;
    }
    for (char c : "0123456789+/=".toCharArray()) {
      BEARER_CHAR[c] = BASIC_CHAR[c] = SPECIAL;
    }
    for (char c : "-._~".toCharArray()) {
      BEARER_CHAR[c] = SPECIAL;
    }
  }

  /** Bearer / Basic credentials: masks the credential, keeps the scheme word. */
  private static long authToken(char[] s, int from, int n, int resume, boolean basic) {
    int k = from;
    while (k < n && k < from + 4 && s[k] == ' ') {
      k++;
    }
    int start = k;
    int limit = Math.min(n, start + MAX_VALUE);
    // Per char one table read; the kinds are or-ed, so "saw a non-letter" is one bit at the end.
    byte[] table = basic ? BASIC_CHAR : BEARER_CHAR;
    int seen = 0;
    while (k < limit) {
      char c = s[k];
      int kind = c < 128 ? table[c] : 0;
      if (kind == 0) {
        break;
      }
      seen |= kind;
      k++;
    }
    boolean special = (seen & SPECIAL) != 0;
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

  private static long jwt(char[] s, int i, int n) {
    int limit = Math.min(n, i + 8 * MAX_VALUE);
    int k = i;
    int dots = 0;
    int partLen = 0;
    while (k < limit) {
      char c = s[k];
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

  private static long pem(char[] s, int i, int n) {
    // Most dashes are single (UUIDs, dates, names): one compare before the prefix check.
    if (i + 1 >= n || s[i + 1] != '-' || !startsWith(s, n, i, "-----BEGIN ")) {
      return i + 1;
    }
    int headerEnd = indexOf(s, n, i + 11, "-----");
    if (headerEnd < 0 || headerEnd - i > 64) {
      return i + 11;
    }
    if (!startsWith(s, n, headerEnd - 11, "PRIVATE KEY")) {
      return headerEnd + 5;
    }
    int bodyStart = headerEnd + 5;
    int limit = Math.min(n, bodyStart + MAX_PEM);
    int end = indexOf(s, n, bodyStart, "-----END ");
    if (end < 0 || end >= limit) {
      return hit(i, limit == n ? n : limit, RedactionRule.PRIVATE_KEY);
    }
    int close = indexOf(s, n, end + 9, "-----");
    int stop = close < 0 || close - end > 64 ? Math.min(n, end + 9) : close + 5;
    return hit(i, stop, RedactionRule.PRIVATE_KEY);
  }

  // ---- key=value, "key":"value", URL user-info ----------------------------------------------

  private long separator(char[] s, int i, int n, char c, RedactionBuffer scratch) {
    if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
      return userInfo(s, i + 3, n);
    }
    // Walk back over a closing quote (optionally escaped) and spaces to the key.
    int j = i - 1;
    int spaces = 0;
    while (j >= 0 && s[j] == ' ' && spaces < 2) {
      j--;
      spaces++;
    }
    boolean quotedKey = false;
    if (j >= 0 && (s[j] == '"' || s[j] == '\'')) {
      quotedKey = true;
      j--;
      if (j >= 0 && s[j] == '\\') {
        j--;
      }
    }
    int keyEnd = j + 1;
    int stop = Math.max(0, keyEnd - MAX_KEY_BACK);
    while (j >= stop && keyChar(s[j])) {
      j--;
    }
    int keyStart = j + 1;
    if (keyStart == keyEnd || !isLetterAscii(s[keyStart]) && !quotedKey) {
      return i + 1;
    }
    if (!keys.isSensitive(s, keyStart, keyEnd, scratch)) {
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
  private static long value(char[] s, int from, int n) {
    int k = from;
    while (k < n && k < from + 4 && s[k] == ' ') {
      k++;
    }
    if (k >= n) {
      return n;
    }
    int limit = Math.min(n, k + MAX_VALUE);
    char q = s[k];
    boolean escapedQuote = q == '\\' && k + 1 < n && s[k + 1] == '"';
    if (q == '"' || q == '\'' || escapedQuote) {
      char quote = escapedQuote ? '"' : q;
      int start = k + (escapedQuote ? 2 : 1);
      // A quote doubled, as SQL escapes it inside a literal: a driver's error message quoting
      // WHERE note = 'password=''hunter2''' shows password=''hunter2'''. An empty value
      // (password='' and ...) is left alone: a value character must follow.
      if (!escapedQuote && start + 1 < n && s[start] == quote
          && !valueEnd(s[start + 1])) {
        start++;
      }
      int e = start;
      while (e < limit) {
        char ch = s[e];
        if (ch == '\\' && e + 1 < n) {
          if (escapedQuote && s[e + 1] == quote) {
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
        char ch = s[e];
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
    while (e < limit && !valueEnd(s[e])) {
      e++;
    }
    // "authorization: Bearer abc" masks the scheme and the credential.
    int word = e - start;
    if ((word == 6 && regionMatchesCI(s, n, start, "bearer")
        || word == 5 && regionMatchesCI(s, n, start, "basic"))
        && e + 1 < n && s[e] == ' ') {
      e++;
      while (e < limit && !valueEnd(s[e])) {
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

  private static long userInfo(char[] s, int from, int n) {
    int limit = Math.min(n, from + 256);
    int colon = -1;
    for (int k = from; k < limit; k++) {
      char c = s[k];
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

  private static long email(char[] s, int at, int n, int from) {
    int j = at - 1;
    // Never back into text before 'from': it may be an earlier finding (the password of
    // jdbc:postgresql://user:password@host), and a finding starting there overlapped it.
    int stop = Math.max(from, at - 64);
    while (j >= stop && localChar(s[j])) {
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
      char c = s[k];
      if (c == '.') {
        lastDot = k;
      } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-')) {
        break;
      }
      k++;
    }
    int end = k;
    while (end > at + 1 && s[end - 1] == '.') {
      end--;
    }
    lastDot = lastIndexOf(s, '.', end - 1);
    if (lastDot > at + 1 && end - lastDot > 2) {
      return hit(start, end, RedactionRule.EMAIL);
    }
    return at + 1;
  }
}
