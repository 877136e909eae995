package dev.telemetrykit.logging.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The redaction policy: which keys are sensitive, which values are secrets, the mask text,
 * and where findings are counted. Immutable apart from the swappable {@link Counts}.
 *
 * <p>{@link #redact(String)} returns its argument unchanged (same instance, no allocation)
 * when nothing is found. It never throws for any input.
 */
public final class Redactor {

  /** Default mask text. */
  public static final String DEFAULT_MASK = "****";

  /** Where findings are counted; swapped in when TelemetryKit starts. */
  public interface Counts {
    /** Counts one redaction. Must not throw. */
    void count(RedactionRule rule);

    /** Counts nothing. */
    Counts NONE = rule -> { };
  }

  private final KeyMatcher keys;
  private final ValueScanner scanner;
  private final Pattern[] patterns;
  private final String mask;
  private volatile Counts counts = Counts.NONE;

  private Redactor(KeyMatcher keys, boolean emails, Pattern[] patterns, String mask) {
    this.keys = keys;
    this.scanner = new ValueScanner(keys, emails);
    this.patterns = patterns;
    this.mask = mask;
  }

  /** The built-in policy: default keys, no extra patterns, e-mails kept, mask {@code ****}. */
  public static Redactor defaults() {
    return new Redactor(KeyMatcher.withExtraKeys(List.of()), false, new Pattern[0], DEFAULT_MASK);
  }

  /**
   * A policy with extra keys and patterns.
   *
   * @param patternSetting the setting name the patterns came from, named in the error
   * @throws IllegalArgumentException naming {@code patternSetting} when a pattern is invalid
   */
  public static Redactor of(Collection<String> extraKeys, Collection<String> extraPatterns,
      String patternSetting, boolean emails, String mask) {
    Objects.requireNonNull(extraKeys, "extraKeys");
    Objects.requireNonNull(extraPatterns, "extraPatterns");
    Objects.requireNonNull(mask, "mask");
    List<Pattern> compiled = new ArrayList<>();
    for (String p : extraPatterns) {
      try {
        compiled.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("Invalid setting " + patternSetting + ": value '" + p
            + "' is not a valid regular expression (" + e.getDescription() + " near index "
            + e.getIndex() + "); expected a comma-separated list of java.util.regex patterns", e);
      }
    }
    return new Redactor(KeyMatcher.withExtraKeys(extraKeys), emails,
        compiled.toArray(new Pattern[0]), mask);
  }

  /** The mask text written in place of a secret. */
  public String mask() {
    return mask;
  }

  /** Routes finding counts to {@code counts} (or nowhere, with {@link Counts#NONE}). */
  public void countInto(Counts counts) {
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  /** Counts one finding. */
  public void count(RedactionRule rule) {
    try {
      counts.count(rule);
    } catch (RuntimeException ignored) {
      // Counting must never break logging.
    }
  }

  /** Whether a key names a secret. */
  public boolean isSensitiveKey(String key) {
    return key != null && keys.isSensitive(key);
  }

  /** Whether a number is a card number. */
  public boolean isCardNumber(long value) {
    return ValueScanner.isCardNumber(value);
  }

  /** Whether a string of digits is a card number. */
  public boolean isCardDigits(String digits) {
    return ValueScanner.isCardDigits(digits);
  }

  /** {@code text} with every secret replaced by the mask; the same instance if none. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    if (text.length() >= (1 << 27)) {
      count(RedactionRule.CUSTOM_PATTERN);
      return mask;
    }
    String out = text;
    long f = scanner.next(text, 0);
    if (f != ValueScanner.NONE) {
      StringBuilder sb = new StringBuilder(text.length());
      int copied = 0;
      while (f != ValueScanner.NONE) {
        int start = ValueScanner.start(f);
        int end = ValueScanner.end(f);
        sb.append(text, copied, start).append(mask);
        copied = end;
        count(ValueScanner.rule(f));
        f = end >= text.length() ? ValueScanner.NONE : scanner.next(text, end);
      }
      sb.append(text, copied, text.length());
      out = sb.toString();
    }
    if (patterns.length > 0) {
      out = applyPatterns(out);
    }
    return out;
  }

  private String applyPatterns(String text) {
    String out = text;
    for (Pattern p : patterns) {
      Matcher m = p.matcher(out);
      if (!m.find()) {
        continue;
      }
      StringBuilder sb = new StringBuilder(out.length());
      int last = 0;
      do {
        if (m.end() == m.start()) {
          continue;
        }
        sb.append(out, last, m.start()).append(mask);
        last = m.end();
        count(RedactionRule.CUSTOM_PATTERN);
      } while (m.find());
      sb.append(out, last, out.length());
      out = sb.toString();
    }
    return out;
  }
}
