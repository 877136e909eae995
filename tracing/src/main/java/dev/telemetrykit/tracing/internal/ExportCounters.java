package dev.telemetrykit.tracing.internal;

import java.util.concurrent.atomic.LongAdder;

/** Spans the exporters reported as delivered or failed; shared by every wrapped exporter. */
public final class ExportCounters {
  final LongAdder success = new LongAdder();
  final LongAdder failure = new LongAdder();

  /** Spans in batches the exporter reported as delivered. */
  public long success() {
    return success.sum();
  }

  /** Spans in batches the exporter reported as failed, or that it threw on. */
  public long failure() {
    return failure.sum();
  }
}
