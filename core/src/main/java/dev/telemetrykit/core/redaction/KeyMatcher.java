package dev.telemetrykit.core.redaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a key (JSON field name, MDC key, {@code key=value} key) names a secret.
 * Keys are compared after normalisation: ASCII letters lower-cased, everything that is not a
 * letter or digit dropped, so {@code access_token}, {@code Access-Token} and
 * {@code accessToken} are one key.
 *
 * <p>A key is sensitive when its normalised form equals a listed key, contains one of the
 * strong words ({@code password}, {@code passwd}, {@code secret}, {@code privatekey},
 * {@code apikey}, {@code authorization}, {@code credential}), or ends in {@code token}.
 * Allocation-free for keys up to {@value #MAX_KEY} characters; longer keys are normalised
 * into a new string.
 */
final class KeyMatcher {

  /** Keys from the list, normalised. */
  static final List<String> DEFAULT_KEYS = List.of(
      "password", "passwd", "pwd", "secret", "client_secret", "token", "access_token",
      "refresh_token", "id_token", "api_key", "apikey", "authorization", "cookie", "set-cookie",
      "x-api-key", "private_key", "cvv", "cvc", "pan", "card_number", "secret_access_key",
      "aws_secret_access_key", "session_id", "jsessionid", "credentials");

  static final String[] CONTAINS = {
      "password", "passwd", "secret", "privatekey", "apikey", "authorization", "credential"};
  static final String[] SUFFIXES = {"token", "cookie"};
  static final int MAX_KEY = 64;

  private final Set<String> exact;
  /**
   * The same keys as {@link #exact}, in an open-addressing table looked up straight from the
   * normalisation buffer, so matching a key allocates no String (a log line's
   * {@code key=value} text is checked for every {@code =}).
   */
  private final char[][] table;

  private KeyMatcher(Set<String> exact) {
    this.exact = exact;
    int size = Integer.highestOneBit(Math.max(4, exact.size() * 4) - 1) << 1;
    this.table = new char[size][];
    for (String k : exact) {
      char[] key = k.toCharArray();
      int slot = hash(key, key.length) & (size - 1);
      while (table[slot] != null) {
        slot = (slot + 1) & (size - 1);
      }
      table[slot] = key;
    }
  }

  private static int hash(char[] buf, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + buf[i];
    }
    return h ^ (h >>> 16);
  }

  private boolean exactContains(char[] buf, int len) {
    int mask = table.length - 1;
    int slot = hash(buf, len) & mask;
    char[] key;
    while ((key = table[slot]) != null) {
      if (key.length == len && Arrays.equals(key, 0, len, buf, 0, len)) {
        return true;
      }
      slot = (slot + 1) & mask;
    }
    return false;
  }

  /** The default keys plus {@code extra} (any spelling; they are normalised). */
  static KeyMatcher withExtraKeys(Collection<String> extra) {
    Set<String> keys = new HashSet<>();
    for (String k : DEFAULT_KEYS) {
      keys.add(normalize(k));
    }
    for (String k : extra) {
      String n = normalize(k);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("a redaction key must contain a letter or digit: '" + k + "'");
      }
      keys.add(n);
    }
    return new KeyMatcher(Set.copyOf(keys));
  }

  /** Lower-cases ASCII letters and drops every character that is not a letter or digit. */
  static String normalize(CharSequence key) {
    StringBuilder sb = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the whole string is a sensitive key: the array path below, with the string copied
   * into {@code scratch} (whose text arrays it then holds until the caller releases it).
   */
  boolean isSensitive(String key, RedactionBuffer scratch) {
    int n = key.length();
    if (n > MAX_KEY * 2) {
      return isSensitiveNormalized(normalize(key));
    }
    return isSensitive(scratch.load(key), 0, n, scratch);
  }

  /**
   * Whether the key in {@code s[from, to)} is sensitive, normalised in {@code scratch}'s key
   * buffer. The verdicts of the last keys seen are kept in {@code scratch} (per thread, so no
   * lock and no allocation): a log template repeats its keys on every line, and a repeat costs
   * the normalisation and one comparison instead of every rule.
   */
  boolean isSensitive(char[] s, int from, int to, RedactionBuffer scratch) {
    if (to - from > MAX_KEY * 2) {
      return isSensitiveNormalized(normalize(new String(s, from, to - from)));
    }
    char[] buf = scratch.keyChars;
    int len = 0;
    int h = 0;
    for (int i = from; i < to; i++) {
      char c = s[i];
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
        // as is
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      } else if (c < 128 || !Character.isLetterOrDigit(c)) {
        continue;
      } else {
        c = Character.toLowerCase(c);
      }
      if (len == MAX_KEY) {
        return isSensitiveNormalized(normalize(new String(s, from, to - from)));
      }
      buf[len++] = c;
      h = 31 * h + c;
    }
    if (scratch.verdictsOf != this) {
      Arrays.fill(scratch.verdictLengths, -1);
      scratch.verdictsOf = this;
    }
    int slot = (h ^ (h >>> 16)) & (RedactionBuffer.VERDICTS - 1);
    char[] seen = scratch.verdictKeys[slot];
    if (scratch.verdictLengths[slot] == len
        && Arrays.equals(seen, 0, len, buf, 0, len)) {
      return scratch.verdicts[slot];
    }
    boolean sensitive = matches(buf, len);
    if (seen == null) {
      seen = new char[MAX_KEY];
      scratch.verdictKeys[slot] = seen;
    }
    System.arraycopy(buf, 0, seen, 0, len);
    scratch.verdictLengths[slot] = len;
    scratch.verdicts[slot] = sensitive;
    return sensitive;
  }

  /** The rules over a normalised key in {@code buf[0, len)}. */
  private boolean matches(char[] buf, int len) {
    if (len < 3) {
      return len > 0 && exactContains(buf, len);
    }
    for (String word : SUFFIXES) {
      if (endsWith(buf, len, word)) {
        return true;
      }
    }
    for (String word : CONTAINS) {
      if (contains(buf, len, word)) {
        return true;
      }
    }
    return exactContains(buf, len);
  }

  /** The rules over a key already {@link #normalize normalised} (also the tests' reference). */
  boolean isSensitiveNormalized(String n) {
    if (exact.contains(n)) {
      return true;
    }
    for (String word : SUFFIXES) {
      if (n.endsWith(word)) {
        return true;
      }
    }
    for (String word : CONTAINS) {
      if (n.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWith(char[] buf, int len, String word) {
    int wl = word.length();
    if (wl > len) {
      return false;
    }
    for (int i = 0; i < wl; i++) {
      if (buf[len - wl + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(char[] buf, int len, String word) {
    int wl = word.length();
    char first = word.charAt(0);
    outer:
    for (int i = 0; i + wl <= len; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < wl; j++) {
        if (buf[i + j] != word.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Normalised extra keys, for diagnostics. */
  List<String> keys() {
    return new ArrayList<>(new HashSet<>(exact));
  }
}
