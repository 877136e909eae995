package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.tracing.TracingMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Wraps the exporter that autoconfigure built (OTLP, console, ...) and counts the spans of each
 * batch by the result the exporter reports. Runs on the batch processor's worker thread, never
 * on an application thread. An exporter that throws is counted as failed and reported to
 * {@link InstrumentationErrors}; the exception goes no further.
 */
public final class CountingSpanExporter extends ForwardingSpanExporter {

  private final ExportCounters counters;
  private final InstrumentationErrors errors;

  /** Wraps {@code delegate}; results go to {@code counters}, thrown errors to {@code errors}. */
  public CountingSpanExporter(SpanExporter delegate, ExportCounters counters,
      InstrumentationErrors errors) {
    super(delegate);
    this.counters = counters;
    this.errors = errors;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return counters.count(spans.size(), errors, TracingMetrics.COMPONENT,
        () -> delegate.export(spans));
  }
}
