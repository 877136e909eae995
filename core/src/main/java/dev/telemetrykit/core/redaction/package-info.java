/**
 * The one redaction engine of TelemetryKit: which keys name secrets and which values are
 * secrets, shared by logs, metric label values, span attributes and health reasons, with one
 * configuration ({@code TELEMETRYKIT_REDACT_*}) and one counter
 * ({@code telemetrykit_redactions_total{signal,rule}}).
 *
 * <pre>{@code
 * String safe = Redactor.current().forSignal(Signal.HEALTH).redact(reason);
 * }</pre>
 */
package dev.telemetrykit.core.redaction;
