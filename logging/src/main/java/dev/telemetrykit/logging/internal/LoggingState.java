package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.Level;
import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.TelemetryLogging;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Process-wide logging configuration, shared by every encoder and filter of this module.
 * Logback builds its appenders before {@code TelemetryKit.start}, so they start from the
 * environment (and system properties) and the logging module replaces the values with the
 * started TelemetryKit's settings. All fields are volatile references to immutable values.
 */
public final class LoggingState {

  private static final String[] BASE_MDC_KEYS = {
      TelemetryLogging.TRACE_ID, TelemetryLogging.SPAN_ID, TelemetryLogging.TRACE_FLAGS,
      TelemetryLogging.CORRELATION_ID};

  private static volatile Redactor redactor;
  private static volatile String serviceName;
  private static volatile MdcPolicy mdc = MdcPolicy.of(BASE_MDC_KEYS, null);
  /** Per level: trace, debug, info, warn, error; null when not counting. */
  private static volatile CounterDataPoint[] eventCounts;
  private static volatile String startupProblem;

  static {
    Settings settings = Settings.fromEnvironment(Map.of());
    try {
      applyRedaction(settings);
    } catch (RuntimeException e) {
      // Invalid settings at Logback start: keep the built-in policy; TelemetryKit.start fails
      // with the same message, and the Configurator writes it as one log line.
      redactor = Redactor.defaults();
      startupProblem = e.getMessage();
    }
    serviceName = settings.get("OTEL_SERVICE_NAME").orElse(null);
  }

  private LoggingState() {}

  /**
   * Reads every {@code TELEMETRYKIT_LOG_*} and redaction setting; throws IllegalArgumentException
   * naming a bad one.
   * The redaction policy is core's ({@link Redactor#fromSettings}); the logging module replaces
   * it with the running TelemetryKit's engine, which counts its findings.
   */
  public static void apply(Settings settings) {
    logFormat(settings);
    logLevel(settings);
    applyRedaction(settings);
  }

  /** {@code TELEMETRYKIT_LOG_FORMAT}; throws IllegalArgumentException naming a bad value. */
  public static TelemetryLogbackConfigurator.Format logFormat(Settings settings) {
    return settings.enumValue(TelemetryLogging.LOG_FORMAT, TelemetryLogbackConfigurator.Format.class,
        TelemetryLogbackConfigurator.Format.JSON);
  }

  /** {@code TELEMETRYKIT_LOG_LEVEL}; throws IllegalArgumentException naming a bad value. */
  public static Level logLevel(Settings settings) {
    String text = settings.string(TelemetryLogging.LOG_LEVEL, "INFO").trim();
    // Level.toLevel maps unknown words to DEBUG; accept only the names Logback defines.
    for (String name : LEVEL_NAMES) {
      if (name.equalsIgnoreCase(text)) {
        return Level.toLevel(name);
      }
    }
    throw settings.invalid(TelemetryLogging.LOG_LEVEL,
        "one of trace, debug, info, warn, error, off, all");
  }

  private static final String[] LEVEL_NAMES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL"};

  private static void applyRedaction(Settings settings) {
    Redactor r = Redactor.fromSettings(settings);
    String[] keys = mdcKeysFrom(settings);
    List<String> excluded = settings.list(TelemetryLogging.MDC_EXCLUDE);
    redactor = r;
    mdc = MdcPolicy.of(keys, excluded.isEmpty() ? null : Set.copyOf(excluded));
  }

  private static String[] mdcKeysFrom(Settings settings) {
    Set<String> keys = new LinkedHashSet<>(List.of(BASE_MDC_KEYS));
    keys.addAll(settings.list(TelemetryLogging.MDC_KEYS));
    return keys.toArray(new String[0]);
  }

  /** The current redaction policy. */
  public static Redactor redactor() {
    return redactor;
  }

  /** Replaces the redaction policy; findings are counted as {@code signal="log"}. */
  public static void redactor(Redactor r) {
    redactor = Objects.requireNonNull(r, "redactor").forSignal(Signal.LOG);
  }

  /** The service name written as {@code service.name}, or null. */
  public static String serviceName() {
    return serviceName;
  }

  /** Sets the service name written as {@code service.name}. */
  public static void serviceName(String name) {
    serviceName = name;
  }

  /** Which MDC keys the JSON line writes, and in what order. */
  public static MdcPolicy mdcPolicy() {
    return mdc;
  }

  /**
   * Which MDC keys the JSON line writes, set together from one configuration.
   *
   * @param first keys written first, in this order (every other MDC key follows), without the
   *     excluded ones: removed here once, not checked per key on every line
   * @param skipped the keys the second pass over the MDC leaves out: the configured first keys,
   *     the line's own fields and the keys {@code TELEMETRYKIT_LOG_MDC_EXCLUDE} drops, in one
   *     {@link HashSet} (a hash and a mask per lookup; the immutable {@code Set.of} sets divide
   *     per lookup, which showed in the encoder's profile)
   */
  public record MdcPolicy(String[] first, Set<String> skipped) {
    static MdcPolicy of(String[] first, Set<String> excluded) {
      Set<String> skipped = new HashSet<>(TelemetryJsonProviders.RESERVED);
      skipped.addAll(Arrays.asList(first));
      String[] written = first;
      if (excluded != null) {
        skipped.addAll(excluded);
        written = Arrays.stream(first).filter(k -> !excluded.contains(k)).toArray(String[]::new);
      }
      return new MdcPolicy(written, skipped);
    }
  }

  /** Level counters, or null. */
  static CounterDataPoint[] eventCounts() {
    return eventCounts;
  }

  /** Sets (or with null clears) the level counters: trace, debug, info, warn, error. */
  public static void eventCounts(CounterDataPoint[] counts) {
    if (counts != null && counts.length != 5) {
      throw new IllegalArgumentException("expected 5 level counters, got " + counts.length);
    }
    eventCounts = counts;
  }

  /** A settings problem found when Logback started, or null. */
  public static String startupProblem() {
    return startupProblem;
  }
}
