package dev.telemetrykit.logging;

import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.logging.internal.LoggingState;
import dev.telemetrykit.logging.internal.MdcCopyingExecutorService;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.slf4j.MDC;

/**
 * TelemetryKit's JSON logging: names, settings and the calls an application makes itself.
 *
 * <p>With {@code telemetrykit-logging} on the class path and no Logback configuration of the
 * application's own, every log line goes to stdout as one JSON object, secrets redacted, with
 * {@code service.name}, {@code trace_id}/{@code span_id}/{@code trace_flags} and
 * {@code correlation_id}. Nothing to call. Outside HTTP requests (batch jobs, message
 * consumers), open a correlation scope:
 *
 * <pre>{@code
 * try (CorrelationScope scope = TelemetryLogging.correlate(message.getId())) {
 *   log.info("processing order {}", orderId);        // "correlation_id": "<message id>"
 * }                                                   // removed (or restored) here
 *
 * ExecutorService workers = TelemetryLogging.mdcCopyingExecutorService(Executors.newFixedThreadPool(4));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TelemetryLogging {

  // ---- settings (environment variable names; system-property twins in lower case with dots)

  /** Setting: {@code json} (default) or {@code text}; read when Logback starts. */
  public static final String LOG_FORMAT = "TELEMETRYKIT_LOG_FORMAT";
  /** Setting: root level of the zero-config set-up, default {@code INFO}; read when Logback starts. */
  public static final String LOG_LEVEL = "TELEMETRYKIT_LOG_LEVEL";
  /** Alias of core's {@code TELEMETRYKIT_REDACT_KEYS} (extra sensitive keys), kept working. */
  public static final String REDACT_KEYS = Redactor.LOG_KEYS;
  /** Alias of core's {@code TELEMETRYKIT_REDACT_PATTERN} (one extra regex), kept working. */
  public static final String REDACT_PATTERN = Redactor.LOG_PATTERN;
  /** Alias of core's {@code TELEMETRYKIT_REDACT_MASK} (mask text, default {@code ****}). */
  public static final String REDACT_MASK = Redactor.LOG_MASK;
  /** Alias of core's {@code TELEMETRYKIT_REDACT_EMAILS} (mask e-mails, default false). */
  public static final String REDACT_EMAILS = Redactor.LOG_EMAILS;
  /**
   * Setting: MDC keys written first, in this order, comma-separated. Since 0.2.0 every MDC key
   * is written, so this only orders them; it was the allow-list before.
   */
  public static final String MDC_KEYS = "TELEMETRYKIT_LOG_MDC_KEYS";
  /** Setting: MDC keys never written to the JSON, comma-separated (every other key is). */
  public static final String MDC_EXCLUDE = "TELEMETRYKIT_LOG_MDC_EXCLUDE";

  // ---- JSON fields (CONVENTIONS.md, Logs)

  /** Field: the service name. */
  public static final String SERVICE_NAME_FIELD = "service.name";
  /** Field: the logger name (LLE's default would be {@code logger_name}). */
  public static final String LOGGER_FIELD = "logger";
  /** Field: the thread name (LLE's default would be {@code thread_name}). */
  public static final String THREAD_FIELD = "thread";
  /** Field and MDC key: the trace ID of the span current at the log call. */
  public static final String TRACE_ID = "trace_id";
  /** Field and MDC key: the span ID of the span current at the log call. */
  public static final String SPAN_ID = "span_id";
  /** Field and MDC key: the trace flags of the span current at the log call, hex. */
  public static final String TRACE_FLAGS = "trace_flags";
  /** Field and MDC key: the correlation ID. */
  public static final String CORRELATION_ID = "correlation_id";

  // ---- metrics (CONVENTIONS.md)

  /** Counter of log events, label {@link #LEVEL_LABEL}. */
  public static final String EVENTS_METRIC = "logback_events_total";
  /** Label of {@link #EVENTS_METRIC}: {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error}. */
  public static final String LEVEL_LABEL = "level";
  /**
   * Counter of redactions, labels {@code signal} and {@link #RULE_LABEL}; core's counter since
   * 0.2.0 (was {@code telemetrykit_log_redactions_total{rule}}), log lines are
   * {@code signal="log"}.
   */
  public static final String REDACTIONS_METRIC = Redactor.METRIC;
  /** Label of {@link #REDACTIONS_METRIC}: the rule that matched, e.g. {@code card_number}. */
  public static final String RULE_LABEL = "rule";

  /** Longest correlation ID kept; longer ones are cut. */
  public static final int MAX_CORRELATION_ID_LENGTH = 128;

  private TelemetryLogging() {}

  /**
   * Puts {@code correlationId} into the MDC as {@value #CORRELATION_ID} until the returned
   * scope closes, which restores what was there before. Control characters are replaced by
   * {@code _} and the ID is cut at {@value #MAX_CORRELATION_ID_LENGTH} characters.
   *
   * @throws NullPointerException if {@code correlationId} is null
   */
  public static CorrelationScope correlate(String correlationId) {
    Objects.requireNonNull(correlationId, "correlationId");
    return CorrelationScope.open(sanitize(correlationId));
  }

  /** {@link #correlate(String)} with a new random UUID. */
  public static CorrelationScope correlate() {
    return CorrelationScope.open(UUID.randomUUID().toString());
  }

  /** The correlation ID of the current thread, if a scope (or a filter) set one. */
  public static Optional<String> currentCorrelationId() {
    return Optional.ofNullable(MDC.get(CORRELATION_ID));
  }

  /**
   * An executor that runs each task with the MDC of the thread that submitted it (and restores
   * the worker's own MDC afterwards). It copies the MDC only; for the OpenTelemetry context use
   * the tracing module's context-propagating wrapper.
   */
  public static Executor mdcCopyingExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(mdcCopying(task));
  }

  /** {@link #mdcCopyingExecutor(Executor)} for an {@link ExecutorService}. */
  public static ExecutorService mdcCopyingExecutorService(ExecutorService executor) {
    return new MdcCopyingExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  /** A task that runs with the submitting thread's MDC. */
  public static Runnable mdcCopying(Runnable task) {
    return MdcCopyingExecutorService.copying(Objects.requireNonNull(task, "task"));
  }

  /** A task that runs with the submitting thread's MDC. */
  public static <T> Callable<T> mdcCopying(Callable<T> task) {
    return MdcCopyingExecutorService.copying(Objects.requireNonNull(task, "task"));
  }

  /**
   * {@code text} with every secret the log redaction finds replaced by the mask: for code that
   * writes text somewhere other than the log (span attributes, error responses). Never throws.
   */
  public static String redact(String text) {
    try {
      return LoggingState.redactor().redact(text);
    } catch (RuntimeException e) {
      return LoggingState.redactor().mask();
    }
  }

  static String sanitize(String id) {
    int n = Math.min(id.length(), MAX_CORRELATION_ID_LENGTH);
    StringBuilder sb = null;
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (sb == null) {
          sb = new StringBuilder(id.substring(0, n));
        }
        sb.setCharAt(i, '_');
      }
    }
    return sb != null ? sb.toString() : n == id.length() ? id : id.substring(0, n);
  }
}
