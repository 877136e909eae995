package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.Settings;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns TelemetryKit's settings into what {@code opentelemetry-sdk-extension-autoconfigure}
 * reads, without parsing any {@code OTEL_*} value itself: TelemetryKit's defaults go in as
 * autoconfigure's lowest layer (environment and system properties override them), values set
 * in code go in as its highest layer (they override the environment, as everywhere else in
 * TelemetryKit).
 */
public final class OtelProperties {

  /** Where spans go; with neither set, nothing is exported. */
  public static final String OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  public static final String OTLP_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

  private static final Pattern PROPERTY = Pattern.compile("otel\\.[a-z0-9_.\\-]*[a-z0-9]");

  private OtelProperties() {}

  /**
   * TelemetryKit's defaults: the service name given to {@code start}; no metrics or logs
   * exporters (metrics go through Prometheus, logs through Logback); no span exporter unless an
   * OTLP endpoint is configured; OTLP over http/protobuf, like the OpenTelemetry Java agent.
   */
  public static Map<String, String> defaults(Settings settings, String serviceName) {
    boolean endpoint = settings.get(OTLP_ENDPOINT).isPresent()
        || settings.get(OTLP_TRACES_ENDPOINT).isPresent();
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("otel.service.name", serviceName);
    defaults.put("otel.traces.exporter", endpoint ? "otlp" : "none");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // TelemetryKit sets service.instance.id itself (the ID on target_info); the SDK's own
    // random-ID provider would make the resource warn about a changed entity at every start.
    defaults.put("otel.java.disabled.resource.providers",
        "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider");
    return defaults;
  }

  /** The {@code OTEL_*} values set in code, as {@code otel.*} property names. */
  public static Map<String, String> explicit(Settings settings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.explicitValues().entrySet()) {
      if (e.getKey().startsWith("OTEL_") && e.getValue() != null && !e.getValue().isBlank()) {
        out.put(Settings.systemPropertyName(e.getKey()), e.getValue().trim());
      }
    }
    return out;
  }

  /**
   * The message of an autoconfigure {@code ConfigurationException}, kept whole, with the
   * environment-variable form of every {@code otel.*} property it names added (most users set
   * {@code OTEL_TRACES_SAMPLER}, not {@code otel.traces.sampler}); for the endpoint checks,
   * whose messages name no property, the endpoint setting in use and where it came from.
   */
  public static String describe(Settings settings, String message) {
    String text = message == null ? "(no message)" : message;
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PROPERTY.matcher(text);
    while (m.find()) {
      names.add(m.group().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    if (names.isEmpty() && text.toLowerCase(Locale.ROOT).contains("endpoint")) {
      for (String endpoint : new String[] {OTLP_TRACES_ENDPOINT, OTLP_ENDPOINT}) {
        if (settings.get(endpoint).isPresent()) {
          names.add(settings.describe(endpoint, ""));
        }
      }
    }
    String settingNames = names.isEmpty() ? "" : " (setting " + String.join(", ", names) + ")";
    return "Invalid OpenTelemetry tracing configuration" + settingNames + ": " + text;
  }
}
