package dev.telemetrykit.core.redaction;

import dev.telemetrykit.core.Settings;
import dev.telemetrykit.core.TelemetryKit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * TelemetryKit's one redaction engine: which keys are sensitive, which values are secrets
 * (linear-time detectors for card numbers, bearer/basic credentials, JWTs, AWS keys, PEM
 * private keys, prefixed API tokens, {@code key=value} pairs with sensitive keys, URL
 * passwords, optionally e-mails, plus one configured pattern), the mask text, and where
 * findings are counted. Logs, metric label values and span attributes all pass through it.
 *
 * <p>From code, take the running TelemetryKit's engine and name the signal the text is
 * headed for, so the finding is counted in {@code telemetrykit_redactions_total{signal,rule}}:
 *
 * <pre>{@code
 * String safe = telemetry.redactor().forSignal(Signal.HEALTH).redact(reason);
 * String same = Redactor.current().forSignal(Signal.HEALTH).redact(reason);  // static
 * }</pre>
 *
 * <p>{@link #redact(String)} returns its argument unchanged (same instance, no allocation)
 * when nothing is found. It never throws for any input. Immutable apart from where findings
 * are counted; thread-safe.
 *
 * @since 0.2.0
 */
public final class Redactor {

  /** Default mask text. */
  public static final String DEFAULT_MASK = "****";

  /** Setting: extra sensitive keys, comma-separated, matched like the built-in ones. */
  public static final String KEYS = "TELEMETRYKIT_REDACT_KEYS";
  /** Setting: one extra {@code java.util.regex} pattern to mask (combine several with {@code |}). */
  public static final String PATTERN = "TELEMETRYKIT_REDACT_PATTERN";
  /** Setting: the mask text, default {@value #DEFAULT_MASK}. */
  public static final String MASK = "TELEMETRYKIT_REDACT_MASK";
  /** Setting: also mask e-mail addresses, default {@code false}. */
  public static final String EMAILS = "TELEMETRYKIT_REDACT_EMAILS";
  /** Alias of {@link #KEYS}, its name before 0.2.0; read when {@link #KEYS} is unset. */
  public static final String LOG_KEYS = "TELEMETRYKIT_LOG_REDACT_KEYS";
  /** Alias of {@link #PATTERN}, its name before 0.2.0; read when {@link #PATTERN} is unset. */
  public static final String LOG_PATTERN = "TELEMETRYKIT_LOG_REDACT_PATTERN";
  /** Alias of {@link #MASK}, its name before 0.2.0; read when {@link #MASK} is unset. */
  public static final String LOG_MASK = "TELEMETRYKIT_LOG_REDACT_MASK";
  /** Alias of {@link #EMAILS}, its name before 0.2.0; read when {@link #EMAILS} is unset. */
  public static final String LOG_EMAILS = "TELEMETRYKIT_LOG_REDACT_EMAILS";

  /** Counter of redactions, labels {@code signal} ({@link Signal}) and {@code rule} ({@link RedactionRule}). */
  public static final String METRIC = "telemetrykit_redactions_total";

  /** Where findings are counted; TelemetryKit routes them into {@value #METRIC} while it runs. */
  public interface Counts {
    /** Counts one redaction. Must not throw. */
    void count(Signal signal, RedactionRule rule);

    /** Makes the series of {@code signal} exist at zero (for alerts); by default nothing. */
    default void declare(Signal signal) {}

    /** Counts nothing. */
    Counts NONE = (signal, rule) -> { };
  }

  /** The policy shared by the per-signal views; only {@link #counts} changes. */
  private static final class Engine {
    final KeyMatcher keys;
    final ValueScanner scanner;
    final Pattern[] patterns;
    final String mask;
    final Redactor[] views = new Redactor[Signal.values().length];
    volatile Counts counts = Counts.NONE;

    Engine(KeyMatcher keys, boolean emails, Pattern[] patterns, String mask) {
      this.keys = keys;
      this.scanner = new ValueScanner(keys, emails);
      this.patterns = patterns;
      this.mask = mask;
    }
  }

  private static volatile Redactor fromEnvironment;

  /** The detectors read an array copy of the text; one per thread, so scanning allocates nothing. */
  private static final ThreadLocal<RedactionBuffer> SCRATCH =
      ThreadLocal.withInitial(RedactionBuffer::new);

  private final Engine engine;
  private final Signal signal;
  private final KeyMatcher keys;
  private final ValueScanner scanner;
  private final Pattern[] patterns;
  private final String mask;

  private Redactor(Engine engine, Signal signal) {
    this.engine = engine;
    this.signal = signal;
    // Copied out of the engine so the log encoder's per-string path reads final fields only.
    this.keys = engine.keys;
    this.scanner = engine.scanner;
    this.patterns = engine.patterns;
    this.mask = engine.mask;
  }

  private static Redactor create(KeyMatcher keys, boolean emails, Pattern[] patterns,
      String mask) {
    Engine engine = new Engine(keys, emails, patterns, mask);
    for (Signal s : Signal.values()) {
      engine.views[s.ordinal()] = new Redactor(engine, s);
    }
    return engine.views[Signal.LOG.ordinal()];
  }

  /** The built-in policy: default keys, no extra patterns, e-mails kept, mask {@code ****}. */
  public static Redactor defaults() {
    return create(KeyMatcher.withExtraKeys(List.of()), false, new Pattern[0], DEFAULT_MASK);
  }

  /**
   * A policy with extra keys and patterns.
   *
   * @param patternSetting the setting name the patterns came from, named in the error
   * @throws IllegalArgumentException naming {@code patternSetting} when a pattern is invalid,
   *     or when a key has no letter or digit
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
    return create(KeyMatcher.withExtraKeys(extraKeys), emails,
        compiled.toArray(new Pattern[0]), mask);
  }

  /**
   * The policy the {@code TELEMETRYKIT_REDACT_*} settings describe (each falling back to its
   * {@code TELEMETRYKIT_LOG_REDACT_*} alias).
   *
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public static Redactor fromSettings(Settings settings) {
    String patternName = pick(settings, PATTERN, LOG_PATTERN);
    String maskName = pick(settings, MASK, LOG_MASK);
    String emailsName = pick(settings, EMAILS, LOG_EMAILS);
    String keysName = pick(settings, KEYS, LOG_KEYS);
    List<String> patterns = new ArrayList<>();
    settings.get(patternName).ifPresent(patterns::add);
    String mask = settings.string(maskName, DEFAULT_MASK);
    if (mask.indexOf('\n') >= 0 || mask.indexOf('\r') >= 0) {
      throw settings.invalid(maskName, "text without line breaks");
    }
    boolean emails = settings.booleanValue(emailsName, false);
    List<String> keys = settings.list(keysName);
    try {
      return of(keys, patterns, patternName, emails, mask);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Invalid setting")) {
        throw e;
      }
      throw settings.invalid(keysName,
          "comma-separated keys, each with at least one letter or digit");
    }
  }

  private static String pick(Settings settings, String name, String alias) {
    return settings.get(name).isPresent() || settings.get(alias).isEmpty() ? name : alias;
  }

  /**
   * The engine of the running TelemetryKit (counting into its {@value #METRIC}); before
   * {@code start} or after {@code close}, the policy of the environment's settings (or the
   * built-in one when they are invalid), counting nothing. Never null; never throws.
   */
  public static Redactor current() {
    TelemetryKit running = TelemetryKit.current().orElse(null);
    if (running != null) {
      return running.redactor();
    }
    Redactor r = fromEnvironment;
    if (r == null) {
      try {
        r = fromSettings(Settings.fromEnvironment(Map.of()));
      } catch (RuntimeException e) {
        r = defaults();
      }
      fromEnvironment = r;
    }
    return r;
  }

  /** The same policy and counts, counting its findings under {@code signal}. */
  public Redactor forSignal(Signal signal) {
    return engine.views[Objects.requireNonNull(signal, "signal").ordinal()];
  }

  /** The signal this view counts its findings under ({@link Signal#LOG} unless chosen). */
  public Signal signal() {
    return signal;
  }

  /** The mask text written in place of a secret. */
  public String mask() {
    return mask;
  }

  /**
   * Routes the finding counts of this policy (every signal) to {@code counts}, or nowhere
   * with {@link Counts#NONE}. TelemetryKit calls this; applications need not.
   */
  public void countInto(Counts counts) {
    engine.counts = Objects.requireNonNull(counts, "counts");
  }

  /** Makes this signal's {@value #METRIC} series exist at zero. Never throws. */
  public void declareSeries() {
    try {
      engine.counts.declare(signal);
    } catch (RuntimeException ignored) {
      // Counting must never break the caller.
    }
  }

  /** Counts one finding under this view's signal. Never throws. */
  public void count(RedactionRule rule) {
    try {
      engine.counts.count(signal, rule);
    } catch (RuntimeException ignored) {
      // Counting must never break the caller.
    }
  }

  private void count(RedactionRule rule, RedactionBuffer findings) {
    count(rule);
    if (findings != null) {
      findings.recordFinding(rule);
    }
  }

  /** Whether a key (field name, MDC key, header or attribute name, label name) names a secret. */
  public boolean isSensitiveKey(String key) {
    if (key == null) {
      return false;
    }
    // The scanner's key path, so its per-thread verdicts serve attribute and label names too.
    RedactionBuffer scratch = SCRATCH.get();
    boolean sensitive = keys.isSensitive(key, scratch);
    scratch.release();
    return sensitive;
  }

  /** Whether a number is a card number. */
  public boolean isCardNumber(long value) {
    return ValueScanner.isCardNumber(value);
  }

  /** Whether a string of digits is a card number. */
  public boolean isCardDigits(String digits) {
    return ValueScanner.isCardDigits(digits);
  }

  /**
   * The value of a key-value pair made safe: the mask when the key is sensitive (counted as
   * {@link RedactionRule#KEY}), otherwise {@link #redact(String)} of the value. Never throws.
   */
  public String redact(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSensitiveKey(key)) {
      count(RedactionRule.KEY);
      return mask;
    }
    return redact(value);
  }

  /** Whether {@link #redact(String)} would change {@code text}; counts nothing. */
  public boolean containsSecret(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    if (text.length() >= (1 << 27) || plainSecret(text)) {
      return true;
    }
    int percent = text.indexOf('%');
    if (percent < 0) {
      return false;
    }
    String decoded = percentDecode(text, percent);
    return decoded != text && plainSecret(decoded);
  }

  private boolean plainSecret(String text) {
    RedactionBuffer scratch = SCRATCH.get();
    char[] chars = scratch.load(text);
    long f = ValueScanner.idShaped(chars, text.length()) ? ValueScanner.NONE
        : scanner.next(chars, text.length(), 0, scratch);
    scratch.release();
    if (f != ValueScanner.NONE) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code text} with every secret replaced by the mask; the same instance if none.
   *
   * <p>Secrets percent-encoded, as raw URL paths and query strings carry them
   * ({@code /orders/Bearer%20eyJ...}, {@code password%3Dhunter2}), are found too: when the
   * text decoded once holds a secret, the decoded text is returned with it masked (the
   * encoding is given up together with the secret).
   */
  public String redact(String text) {
    return redactString(text, null);
  }

  /** {@link #redact(String)}, recording each finding's rule in {@code findings} when not null. */
  private String redactString(String text, RedactionBuffer findings) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    final int n = text.length();
    if (n >= (1 << 27)) {
      count(RedactionRule.CUSTOM_PATTERN, findings);
      return mask;
    }
    String out = redactPlain(text, findings);
    // indexOf is an intrinsic: the usual text without '%' pays one fast scan.
    int percent = out.indexOf('%');
    if (percent >= 0) {
      String decoded = percentDecode(out, percent);
      // One layer only, so hostile nesting (%252525...) costs linear time and no recursion.
      if (decoded != out && plainSecret(decoded)) {
        out = redactPlain(decoded, findings);
      }
    }
    return out;
  }

  /**
   * {@code text} with each {@code %XX} escape of an ASCII character decoded; the same instance
   * when it has none. Other bytes stay encoded: every detected secret is ASCII.
   */
  static String percentDecode(String text, int firstPercent) {
    StringBuilder sb = null;
    int copied = 0;
    int n = text.length();
    for (int i = firstPercent; i + 2 < n; i++) {
      if (text.charAt(i) != '%') {
        continue;
      }
      int hi = Character.digit(text.charAt(i + 1), 16);
      int lo = Character.digit(text.charAt(i + 2), 16);
      if (hi < 0 || lo < 0 || hi > 7) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(n);
      }
      sb.append(text, copied, i).append((char) (hi * 16 + lo));
      copied = i + 3;
      i += 2;
    }
    if (sb == null) {
      return text;
    }
    return sb.append(text, copied, n).toString();
  }

  private String redactPlain(String text, RedactionBuffer findings) {
    final int n = text.length();
    String out = text;
    RedactionBuffer scratch = SCRATCH.get();
    char[] chars = scratch.load(text);
    long f = ValueScanner.idShaped(chars, n) ? ValueScanner.NONE
        : scanner.next(chars, n, 0, scratch);
    if (f != ValueScanner.NONE) {
      StringBuilder sb = new StringBuilder(n);
      int copied = 0;
      while (f != ValueScanner.NONE) {
        // Findings never overlap; clamped anyway, as redact must not throw for any input.
        int start = Math.max(ValueScanner.start(f), copied);
        int end = Math.max(ValueScanner.end(f), start);
        sb.append(text, copied, start).append(mask);
        copied = end;
        count(ValueScanner.rule(f), findings);
        f = end >= n ? ValueScanner.NONE : scanner.next(chars, n, end, scratch);
      }
      sb.append(text, copied, n);
      out = sb.toString();
    }
    scratch.release();
    if (patterns.length > 0) {
      out = applyPatterns(out, findings);
    }
    return out;
  }

  /**
   * {@link #redact(String)} for encoders that write characters: fills {@code out} with
   * {@code text} with every secret masked (or with {@code text} itself when it has none, or
   * nothing when it is null) and returns whether anything was masked. Same findings, same
   * counts, same text as {@link #redact(String)}; allocates nothing unless {@code out} must grow
   * (or a configured extra pattern matches). The findings' rules are left in
   * {@link RedactionBuffer#findings()}. Never throws for any text.
   */
  public boolean redact(String text, RedactionBuffer out) {
    out.clearFindings();
    if (text == null) {
      out.release();
      return false;
    }
    final int n = text.length();
    if (n >= (1 << 27)) {
      out.load(redactString(text, out));
      return true;
    }
    char[] chars = out.load(text);
    // An ID (trace, span, correlation) is on every log line: no detector can match its shape,
    // and it has no '%', so it is done here, before the percent check.
    if (patterns.length == 0 && ValueScanner.idShaped(chars, n)) {
      return false;
    }
    // Rare configurations, and text with a '%' (possibly a percent-encoded secret, which the
    // String path decodes): the String path, copied in. indexOf is an intrinsic.
    if (patterns.length > 0 || text.indexOf('%') >= 0) {
      String redacted = redactString(text, out);
      out.load(redacted);
      return redacted != text;
    }
    long f = n == 0 ? ValueScanner.NONE : scanner.next(chars, n, 0, out);
    if (f == ValueScanner.NONE) {
      return false;
    }
    out.startOutput(n + mask.length());
    int copied = 0;
    while (f != ValueScanner.NONE) {
      // Findings never overlap; clamped anyway, as redact must not throw for any input.
      int start = Math.max(ValueScanner.start(f), copied);
      int end = Math.max(ValueScanner.end(f), start);
      out.append(chars, copied, start);
      out.append(mask);
      copied = end;
      count(ValueScanner.rule(f), out);
      f = end >= n ? ValueScanner.NONE : scanner.next(chars, n, end, out);
    }
    out.append(chars, copied, n);
    return true;
  }

  private String applyPatterns(String text, RedactionBuffer findings) {
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
        count(RedactionRule.CUSTOM_PATTERN, findings);
      } while (m.find());
      sb.append(out, last, out.length());
      out = sb.toString();
    }
    return out;
  }
}
