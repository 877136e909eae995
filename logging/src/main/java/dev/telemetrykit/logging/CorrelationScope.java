package dev.telemetrykit.logging;

import dev.telemetrykit.core.UnitOfWork;
import org.slf4j.MDC;

/**
 * A correlation ID in the MDC of the current thread, from
 * {@link TelemetryLogging#correlate(String)} until {@link #close()}.
 *
 * <pre>{@code
 * try (CorrelationScope scope = TelemetryLogging.correlate(batchId)) {
 *   log.info("batch started");                     // carries "correlation_id": batchId
 * }
 * }</pre>
 *
 * <p>The scope is also a {@link UnitOfWork} (unless one is already open, e.g. by a server
 * request): the jdbc module reports statements repeated within it (N+1).
 *
 * <p>Close it on the thread that opened it; closing restores the ID that was there before
 * (scopes nest) and is idempotent.
 *
 * @since 0.1.0
 */
public final class CorrelationScope implements AutoCloseable {

  /** Name of the unit of work a scope opens (when none is open yet), shown in N+1 reports. */
  static final String UNIT_NAME = "CorrelationScope";

  private final String id;
  private final String previous;
  private boolean closed;

  private CorrelationScope(String id, String previous) {
    this.id = id;
    this.previous = previous;
  }

  static CorrelationScope open(String id) {
    String previous = MDC.get(TelemetryLogging.CORRELATION_ID);
    MDC.put(TelemetryLogging.CORRELATION_ID, id);
    UnitOfWork.begin(UNIT_NAME);
    return new CorrelationScope(id, previous);
  }

  /** The correlation ID this scope set (after sanitising). */
  public String id() {
    return id;
  }

  /** Removes the ID, or restores the one that was set before this scope. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    UnitOfWork.end(); // before the MDC is restored, so its report carries this ID
    if (previous == null) {
      MDC.remove(TelemetryLogging.CORRELATION_ID);
    } else {
      MDC.put(TelemetryLogging.CORRELATION_ID, previous);
    }
  }
}
