package dev.telemetrykit.tracing.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that does nothing, registered so spans exist when nothing is exported.
 *
 * <p>The SDK hands out no-op tracers while its tracer provider has no span processor (as
 * autoconfigure builds it with {@code otel.traces.exporter=none}): spans would have no IDs, so
 * no trace context would propagate, no {@code trace_id} reach the logs and no exemplar the
 * metrics. With this processor present, spans are real and sampled as configured. It asks for
 * neither start nor end callbacks, so the SDK never calls it; next to an exporter it costs
 * nothing.
 */
public final class EmbeddedSpanProcessor implements SpanProcessor {

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public String toString() {
    return "TelemetryKitEmbeddedSpanProcessor";
  }
}
