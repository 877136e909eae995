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
public final class CountingSpanExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final ExportCounters counters;
  private final InstrumentationErrors errors;

  public CountingSpanExporter(SpanExporter delegate, ExportCounters counters,
      InstrumentationErrors errors) {
    this.delegate = delegate;
    this.counters = counters;
    this.errors = errors;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      counters.failure.add(n);
      errors.record(TracingMetrics.COMPONENT, e);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(() -> (result.isSuccess() ? counters.success : counters.failure).add(n));
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CountingSpanExporter{" + delegate + "}";
  }
}
