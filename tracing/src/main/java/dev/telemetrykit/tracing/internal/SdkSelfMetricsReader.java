package dev.telemetrykit.tracing.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * A pull-only {@link MetricReader} on the SDK's own {@code SdkMeterProvider}, read when
 * Prometheus scrapes. It exists to surface the batch span processor's count of spans dropped on
 * a full queue — a number the SDK keeps only as an OpenTelemetry metric — as a TelemetryKit
 * self-metric. Both forms of the SDK's internal telemetry are understood:
 * {@code processedSpans{dropped=true}} (the default, "legacy") and
 * {@code otel.sdk.processor.span.processed{error.type=...}}
 * ({@code otel.experimental.sdk.telemetry.version=latest}).
 */
public final class SdkSelfMetricsReader implements MetricReader {

  static final String SCOPE = "io.opentelemetry.sdk.trace";
  static final String LEGACY_PROCESSED = "processedSpans";
  static final AttributeKey<Boolean> LEGACY_DROPPED = AttributeKey.booleanKey("dropped");
  static final String SEMCONV_PROCESSED = "otel.sdk.processor.span.processed";
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  /** Spans the SDK's span processors dropped so far (queue full or already shut down). */
  public long droppedSpans() {
    long dropped = 0;
    // Suppressed: this runs inside a Prometheus scrape; the registry's own OTLP conversion
    // (PrometheusMetricProducer, a producer of every reader) must not run again here.
    for (MetricData metric : PrometheusMetricProducer.suppressed(
        registration::collectAllMetrics)) {
      if (!SCOPE.equals(metric.getInstrumentationScopeInfo().getName())
          || metric.getType() != MetricDataType.LONG_SUM) {
        continue;
      }
      boolean legacy = LEGACY_PROCESSED.equals(metric.getName());
      if (!legacy && !SEMCONV_PROCESSED.equals(metric.getName())) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        boolean isDrop = legacy
            ? Boolean.TRUE.equals(point.getAttributes().get(LEGACY_DROPPED))
            : point.getAttributes().get(ERROR_TYPE) != null;
        if (isDrop) {
          dropped += point.getValue();
        }
      }
    }
    return dropped;
  }

  @Override
  public String toString() {
    return "TelemetryKitSelfMetricsReader";
  }
}
