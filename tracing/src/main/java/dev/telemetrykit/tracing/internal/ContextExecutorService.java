package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.internal.WrappingExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/** An {@link ExecutorService} whose tasks run with the submitter's trace context and MDC. */
public final class ContextExecutorService extends WrappingExecutorService {

  private final ContextTasks tasks;

  public ContextExecutorService(ExecutorService delegate, ContextTasks tasks) {
    super(delegate);
    this.tasks = tasks;
  }

  @Override
  protected Runnable wrap(Runnable task) {
    return tasks.wrap(task);
  }

  @Override
  protected <T> Callable<T> wrap(Callable<T> task) {
    return tasks.wrap(task);
  }
}
