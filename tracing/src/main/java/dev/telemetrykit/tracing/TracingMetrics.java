package dev.telemetrykit.tracing;

/**
 * The names of everything the tracing module reports about itself, as listed in
 * {@code CONVENTIONS.md} (a public contract: dashboards and alerts use them).
 *
 * <pre>{@code
 * # Alert when tracing loses data (export failures or a full export queue):
 * sum(rate(telemetrykit_spans_exported_total{result!="success"}[5m])) > 0
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TracingMetrics {

  /**
   * Counter of spans by export outcome, label {@link #RESULT}: {@link #SUCCESS} and
   * {@link #FAILURE} count spans in batches the exporter reported as sent or failed;
   * {@link #DROPPED} counts spans the SDK's batch processor threw away because its queue was
   * full (the collector was slow, down or black-holed) — they never reached the exporter.
   */
  public static final String SPANS_EXPORTED = "telemetrykit_spans_exported_total";
  /** Label of {@link #SPANS_EXPORTED}. */
  public static final String RESULT = "result";
  /** {@link #RESULT} value: the exporter reported the batch as delivered. */
  public static final String SUCCESS = "success";
  /** {@link #RESULT} value: the exporter reported the batch as failed (after its retries). */
  public static final String FAILURE = "failure";
  /** {@link #RESULT} value: dropped by the batch span processor, queue full. */
  public static final String DROPPED = "dropped";

  /**
   * Counter of metrics (one per metric name and export) pushed over OTLP when
   * {@code OTEL_METRICS_EXPORTER=otlp}, label {@link #RESULT}: {@link #SUCCESS} or
   * {@link #FAILURE} as the exporter reported the export (after its retries).
   */
  public static final String METRICS_EXPORTED = "telemetrykit_metrics_exported_total";

  /** The {@code component} label of metric export errors. */
  public static final String METRICS_COMPONENT = "otlp-metrics";

  /** The {@code component} label in {@code telemetrykit_instrumentation_errors_total}. */
  public static final String COMPONENT = "tracing";

  /** Instrumentation scope name of the spans the helpers create. */
  public static final String INSTRUMENTATION_SCOPE = "dev.telemetrykit.tracing";

  /** MDC key of the correlation ID, as in {@code CONVENTIONS.md} (log field). */
  public static final String MDC_CORRELATION_ID = "correlation_id";

  private TracingMetrics() {}
}
