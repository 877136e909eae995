package dev.telemetrykit.core.redaction;

import java.util.Locale;

/**
 * Why a value was redacted; the {@code rule} label of {@code telemetrykit_redactions_total}.
 * The label values are part of the public contract (see the logging module README and docs/CONVENTIONS.md).
 */
public enum RedactionRule {
  /** A JSON field, MDC entry, key-value pair or argument whose key is sensitive. */
  KEY,
  /** A {@code Sensitive} wrapper. */
  SENSITIVE_VALUE,
  /** {@code Bearer <token>}. */
  BEARER,
  /** {@code Basic <base64>}. */
  BASIC_AUTH,
  /** A JSON Web Token ({@code eyJ...}). */
  JWT,
  /** An AWS access key ID ({@code AKIA...}, {@code ASIA...}). */
  AWS_ACCESS_KEY,
  /** A PEM private-key block. */
  PRIVATE_KEY,
  /** A prefixed API token: {@code sk_live_}, {@code ghp_}, {@code xoxb-}, ... */
  API_TOKEN,
  /** A Luhn-valid 13–19 digit card number. */
  CARD_NUMBER,
  /** {@code key=value} or {@code "key":"value"} inside a string, with a sensitive key. */
  KEY_VALUE,
  /** The password of a URL's user-info ({@code scheme://user:password@host}). */
  URL_PASSWORD,
  /** An e-mail address (off by default). */
  EMAIL,
  /** A configured extra pattern. */
  CUSTOM_PATTERN,
  /** Raw JSON that did not parse, masked whole. */
  UNPARSABLE_RAW_JSON;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The label value, e.g. {@code card_number}. */
  public String label() {
    return label;
  }
}
