package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Items (spans, metrics) the exporters reported as delivered or failed; shared by every wrapped
 * exporter of one kind.
 */
public final class ExportCounters {
  final LongAdder success = new LongAdder();
  final LongAdder failure = new LongAdder();

  /** Items in batches the exporter reported as delivered. */
  public long success() {
    return success.sum();
  }

  /** Items in batches the exporter reported as failed, or that it threw on. */
  public long failure() {
    return failure.sum();
  }

  /**
   * Runs one export of {@code items} items and counts them by its result when it completes. An
   * export that throws is counted as failed and reported to {@code errors} under
   * {@code component}; the exception goes no further (a failed result is returned).
   */
  CompletableResultCode count(int items, InstrumentationErrors errors, String component,
      Supplier<CompletableResultCode> export) {
    CompletableResultCode result;
    try {
      result = export.get();
    } catch (RuntimeException e) {
      failure.add(items);
      errors.record(component, e);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(() -> (result.isSuccess() ? success : failure).add(items));
    return result;
  }
}
