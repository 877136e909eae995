package dev.telemetrykit.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The configuration TelemetryKit and its modules read, from three places in this order:
 * values set explicitly in code ({@link TelemetryKit.Builder#setting(String, String)} and
 * the builder's typed setters), then the system-property twin, then the environment
 * variable. A setting is always named by its environment-variable form; its twin is the
 * same name in lower case with {@code _} replaced by {@code .}
 * ({@code OTEL_EXPORTER_PROMETHEUS_PORT} ↔ {@code otel.exporter.prometheus.port}).
 *
 * <p>Every typed getter fails fast: a value that cannot be parsed throws an
 * {@link IllegalArgumentException} whose message names the setting (and where the value came
 * from), the value, and what is allowed. Modules read their settings in
 * {@link TelemetryModule#start(TelemetryKit)}, so bad configuration fails
 * {@link TelemetryKit#start(String)} and never surfaces later.
 *
 * <pre>{@code
 * int limit = telemetry.settings().intValue("TELEMETRYKIT_CARDINALITY_LIMIT", 2000, 1, 1_000_000);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Settings {

  private final Map<String, String> explicit;
  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;

  private Settings(
      Map<String, String> explicit,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  /** Settings backed by the real system properties and environment, plus explicit values. */
  public static Settings fromEnvironment(Map<String, String> explicit) {
    Objects.requireNonNull(explicit, "explicit");
    return new Settings(explicit, System::getProperty, System::getenv);
  }

  /** Settings from the given map only (no system properties, no environment); for tests. */
  public static Settings of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    return new Settings(values, key -> null, key -> null);
  }

  /** The system-property twin of an environment-variable name. */
  public static String systemPropertyName(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The values set explicitly in code, keyed by environment-variable name. */
  public Map<String, String> explicitValues() {
    return explicit;
  }

  /**
   * The raw value of a setting, trimmed; empty if it is unset or blank.
   *
   * @param name the environment-variable form, e.g. {@code TELEMETRYKIT_LOG_FORMAT}
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(lookup(name)).map(Value::text);
  }

  /** A string setting, or {@code defaultValue} when unset. */
  public String string(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /** A comma-separated list; blank entries are dropped; empty when unset. */
  public List<String> list(String name) {
    List<String> out = new ArrayList<>();
    get(name).ifPresent(v -> {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    });
    return Collections.unmodifiableList(out);
  }

  /** An integer setting within {@code [min, max]}. */
  public int intValue(String name, int defaultValue, int min, int max) {
    Value value = lookup(name);
    if (value == null) {
      return defaultValue;
    }
    String allowed = "an integer between " + min + " and " + max;
    try {
      int parsed = Integer.parseInt(value.text);
      if (parsed < min || parsed > max) {
        throw invalid(value, allowed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(value, allowed);
    }
  }

  /** A boolean setting: {@code true} or {@code false}, in any case. */
  public boolean booleanValue(String name, boolean defaultValue) {
    Value value = lookup(name);
    if (value == null) {
      return defaultValue;
    }
    switch (value.text.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(value, "true or false");
    }
  }

  /** An enum setting, matched ignoring case and with {@code -} treated as {@code _}. */
  public <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
    Value value = lookup(name);
    if (value == null) {
      return defaultValue;
    }
    String wanted = value.text.replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(wanted)) {
        return constant;
      }
    }
    List<String> words = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      words.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw invalid(value, "one of " + String.join(", ", words));
  }

  /**
   * A duration: a whole number with a unit, {@code ms}, {@code s} or {@code m} (e.g.
   * {@code 500ms}, {@code 2s}); a bare number means milliseconds, as in the OTel settings.
   */
  public Duration duration(String name, Duration defaultValue) {
    Value value = lookup(name);
    if (value == null) {
      return defaultValue;
    }
    String allowed = "a non-negative whole number of milliseconds, or with a unit: 500ms, 2s, 1m";
    String text = value.text.toLowerCase(Locale.ROOT);
    try {
      Duration parsed;
      if (text.endsWith("ms")) {
        parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
      } else if (text.endsWith("s")) {
        parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
      } else if (text.endsWith("m")) {
        parsed = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
      } else {
        parsed = Duration.ofMillis(Long.parseLong(text));
      }
      if (parsed.isNegative()) {
        throw invalid(value, allowed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(value, allowed);
    }
  }

  /**
   * Describes where a setting's value comes from, for error messages: e.g.
   * {@code OTEL_EXPORTER_PROMETHEUS_PORT=9464 (default)} or
   * {@code otel.exporter.prometheus.port=8080 (system property)}.
   */
  public String describe(String name, Object defaultValue) {
    Value value = lookup(name);
    if (value == null) {
      return name + "=" + defaultValue + " (default)";
    }
    return value.key + "=" + value.text + " (" + value.source + ")";
  }

  /**
   * An {@link IllegalArgumentException} for a setting whose value was read but is not
   * acceptable, in the same words as the typed getters use.
   */
  public IllegalArgumentException invalid(String name, String allowed) {
    Value value = lookup(name);
    if (value == null) {
      return new IllegalArgumentException("Invalid setting " + name + ": allowed is " + allowed);
    }
    return invalid(value, allowed);
  }

  private static IllegalArgumentException invalid(Value value, String allowed) {
    String where = value.source.equals("environment variable") ? "" : " (" + value.source + ")";
    return new IllegalArgumentException(
        "Invalid setting " + value.key + where + ": value '" + value.text
            + "' is not allowed; expected " + allowed);
  }

  private Value lookup(String name) {
    Objects.requireNonNull(name, "name");
    String v = explicit.get(name);
    if (v != null && !v.isBlank()) {
      return new Value(name, v.trim(), "set in code");
    }
    String property = systemPropertyName(name);
    v = systemProperties.apply(property);
    if (v != null && !v.isBlank()) {
      return new Value(property, v.trim(), "system property");
    }
    v = environment.apply(name);
    if (v != null && !v.isBlank()) {
      return new Value(name, v.trim(), "environment variable");
    }
    return null;
  }

  private static final class Value {
    final String key;
    final String text;
    final String source;

    Value(String key, String text, String source) {
      this.key = key;
      this.text = text;
      this.source = source;
    }

    String text() {
      return text;
    }
  }
}
