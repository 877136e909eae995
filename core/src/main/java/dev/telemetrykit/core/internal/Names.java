package dev.telemetrykit.core.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * TelemetryKit's naming rules, stricter than client_java's (which accepts any UTF-8 name since
 * 1.4): names that every Prometheus version, {@code promtool check metrics} and PromQL without
 * quoting accept.
 */
public final class Names {

  private Names() {}

  /** Throws {@link IllegalArgumentException} unless {@code name} is a legacy Prometheus name. */
  public static void checkMetricName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Metric name must not be null or empty");
    }
    if (name.startsWith("__")) {
      throw new IllegalArgumentException(
          "Invalid metric name '" + name + "': names starting with __ are reserved");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        throw new IllegalArgumentException(
            "Invalid metric name '" + name + "': character '" + c + "' at index " + i
                + " is not allowed; use [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. orders_created_total");
      }
    }
  }

  /** Throws {@link IllegalArgumentException} unless every label name is valid and unique. */
  public static void checkLabelNames(String metric, String[] labelNames) {
    if (labelNames == null) {
      throw new IllegalArgumentException("Metric '" + metric + "': label names must not be null");
    }
    Set<String> seen = new HashSet<>();
    for (String label : labelNames) {
      if (label == null || label.isEmpty()) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "': label names must not be null or empty");
      }
      if (label.startsWith("__")) {
        throw new IllegalArgumentException("Metric '" + metric + "': invalid label name '" + label
            + "': names starting with __ are reserved");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (i > 0 && c >= '0' && c <= '9');
        if (!ok) {
          throw new IllegalArgumentException("Metric '" + metric + "': invalid label name '"
              + label + "': character '" + c + "' at index " + i
              + " is not allowed; use [a-zA-Z_][a-zA-Z0-9_]*");
        }
      }
      if (!seen.add(label)) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "': label name '" + label + "' is given twice");
      }
    }
  }
}
