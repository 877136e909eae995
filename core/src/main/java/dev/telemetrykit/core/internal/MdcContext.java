package dev.telemetrykit.core.internal;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Moves the SLF4J MDC (correlation ID and friends) from the thread that submits a task to the
 * thread that runs it, and back: capture on submit, install around the run, restore after, so a
 * pooled thread never leaks one request's IDs into the next task.
 */
public final class MdcContext {

  private MdcContext() {}

  /** The current thread's MDC, or {@code null} when it is empty. */
  public static Map<String, String> capture() {
    Map<String, String> copy = MDC.getCopyOfContextMap();
    return copy == null || copy.isEmpty() ? null : copy;
  }

  /** Makes {@code values} the current thread's MDC ({@code null} clears it). */
  public static void install(Map<String, String> values) {
    if (values == null || values.isEmpty()) {
      MDC.clear();
    } else {
      MDC.setContextMap(values);
    }
  }
}
