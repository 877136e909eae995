package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.internal.MdcContext;
import dev.telemetrykit.tracing.TracingMetrics;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Captures the submitting thread's OpenTelemetry {@link Context} and SLF4J MDC when a
 * task is wrapped, installs both on the worker while the task runs, and afterwards puts back
 * whatever the worker had before — so a pooled thread never leaks one request's trace or
 * correlation ID into the next task.
 */
public final class ContextTasks {

  private final InstrumentationErrors errors;

  /** @param errors where MDC failures are reported; {@code null} to ignore them silently */
  public ContextTasks(InstrumentationErrors errors) {
    this.errors = errors;
  }

  public Runnable wrap(Runnable task) {
    Context context = Context.current();
    Map<String, String> mdc = copyMdc();
    return () -> {
      Map<String, String> previous = copyMdc();
      setMdc(mdc);
      try (Scope ignored = context.makeCurrent()) {
        task.run();
      } finally {
        setMdc(previous);
      }
    };
  }

  public <T> Callable<T> wrap(Callable<T> task) {
    Context context = Context.current();
    Map<String, String> mdc = copyMdc();
    return () -> {
      Map<String, String> previous = copyMdc();
      setMdc(mdc);
      try (Scope ignored = context.makeCurrent()) {
        return task.call();
      } finally {
        setMdc(previous);
      }
    };
  }

  private Map<String, String> copyMdc() {
    try {
      return MdcContext.capture();
    } catch (RuntimeException e) {
      report(e);
      return null;
    }
  }

  private void setMdc(Map<String, String> values) {
    try {
      MdcContext.install(values);
    } catch (RuntimeException e) {
      report(e);
    }
  }

  private void report(RuntimeException e) {
    if (errors != null) {
      errors.record(TracingMetrics.COMPONENT, e);
    }
  }
}
