package dev.telemetrykit.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link ExecutorService} that hands every task to {@link #wrap(Runnable)} /
 * {@link #wrap(Callable)} before giving it to the delegate, and leaves everything else —
 * lifecycle, results, exceptions — to the delegate. The one implementation of the
 * {@code ExecutorService} contract behind TelemetryKit's executor wrappers (timing, trace
 * context, MDC), so each of them only says what it does around a task.
 */
public abstract class WrappingExecutorService implements ExecutorService {

  /** The executor that runs the wrapped tasks. */
  protected final ExecutorService delegate;

  protected WrappingExecutorService(ExecutorService delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The task to run instead of {@code task}. */
  protected abstract Runnable wrap(Runnable task);

  /** The task to call instead of {@code task}. */
  protected abstract <T> Callable<T> wrap(Callable<T> task);

  /** Called when the delegate rejects a task; returns the exception to throw (by default it). */
  protected RejectedExecutionException rejected(RejectedExecutionException e) {
    return e;
  }

  /** The caller's task behind a task {@link #shutdownNow()} returns (by default the same). */
  protected Runnable unwrap(Runnable task) {
    return task;
  }

  @Override
  public void execute(Runnable command) {
    Runnable wrapped = wrap(Objects.requireNonNull(command, "command"));
    try {
      delegate.execute(wrapped);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public Future<?> submit(Runnable task) {
    Runnable wrapped = wrap(Objects.requireNonNull(task, "task"));
    try {
      return delegate.submit(wrapped);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    Runnable wrapped = wrap(Objects.requireNonNull(task, "task"));
    try {
      return delegate.submit(wrapped, result);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    Callable<T> wrapped = wrap(Objects.requireNonNull(task, "task"));
    try {
      return delegate.submit(wrapped);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    List<Callable<T>> wrapped = wrapAll(tasks);
    try {
      return delegate.invokeAll(wrapped);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
      TimeUnit unit) throws InterruptedException {
    List<Callable<T>> wrapped = wrapAll(tasks);
    try {
      return delegate.invokeAll(wrapped, timeout, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    List<Callable<T>> wrapped = wrapAll(tasks);
    try {
      return delegate.invokeAny(wrapped);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Callable<T>> wrapped = wrapAll(tasks);
    try {
      return delegate.invokeAny(wrapped, timeout, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** The tasks that never started, as the caller gave them (see {@link #unwrap(Runnable)}). */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> pending = delegate.shutdownNow();
    List<Runnable> out = new ArrayList<>(pending.size());
    for (Runnable r : pending) {
      out.add(unwrap(r));
    }
    return out;
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      wrapped.add(wrap(Objects.requireNonNull(task, "tasks contains null")));
    }
    return wrapped;
  }
}
