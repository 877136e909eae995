package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.tracing.TracingMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Wraps the metric exporter autoconfigure built (OTLP, ...): exports only what
 * {@link PrometheusMetricProducer} made from the registry — the SDK's own instruments (span
 * processor internals) are already in the registry as {@code telemetrykit_*} metrics — and
 * counts the exported metrics by result. Runs on the periodic reader's thread, never on an
 * application thread; an exporter that throws is counted as failed and reported to
 * {@link InstrumentationErrors}.
 */
public final class CountingMetricExporter implements MetricExporter {

  private final MetricExporter delegate;
  private final ExportCounters counters;
  private final InstrumentationErrors errors;

  /** Wraps {@code delegate}; results go to {@code counters}, thrown errors to {@code errors}. */
  public CountingMetricExporter(MetricExporter delegate, ExportCounters counters,
      InstrumentationErrors errors) {
    this.delegate = delegate;
    this.counters = counters;
    this.errors = errors;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    List<MetricData> ours = new ArrayList<>(metrics.size());
    for (MetricData m : metrics) {
      if (m.getInstrumentationScopeInfo() == PrometheusMetricProducer.SCOPE) {
        ours.add(m);
      }
    }
    if (ours.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    return counters.count(ours.size(), errors, TracingMetrics.METRICS_COMPONENT,
        () -> delegate.export(ours));
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
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
    return "CountingMetricExporter{" + delegate + "}";
  }
}
