package dev.telemetrykit.core.redaction;

import java.util.Locale;

/**
 * Where a redacted value was headed; the {@code signal} label of
 * {@code telemetrykit_redactions_total}. The label values are part of the public contract.
 *
 * @since 0.2.0
 */
public enum Signal {
  /** A log line (message, arguments, MDC, key-values, exceptions). */
  LOG,
  /** A metric label value, checked once when its series is created. */
  METRIC,
  /** A span attribute, event attribute, exception or span name, at export. */
  SPAN,
  /** A health-check reason or other status text served over HTTP. */
  HEALTH;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The label value, e.g. {@code metric}. */
  public String label() {
    return label;
  }
}
