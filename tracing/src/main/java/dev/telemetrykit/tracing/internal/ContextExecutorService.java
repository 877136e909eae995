package dev.telemetrykit.tracing.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An {@link ExecutorService} whose tasks run with the submitter's trace context and MDC. */
public final class ContextExecutorService implements ExecutorService {

  private final ExecutorService delegate;
  private final ContextTasks tasks;

  public ContextExecutorService(ExecutorService delegate, ContextTasks tasks) {
    this.delegate = delegate;
    this.tasks = tasks;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(tasks.wrap(command));
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(tasks.wrap(task));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(tasks.wrap(task), result);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(tasks.wrap(task));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> all)
      throws InterruptedException {
    return delegate.invokeAll(wrapAll(all));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> all, long timeout,
      TimeUnit unit) throws InterruptedException {
    return delegate.invokeAll(wrapAll(all), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> all)
      throws InterruptedException, ExecutionException {
    return delegate.invokeAny(wrapAll(all));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> all, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(wrapAll(all), timeout, unit);
  }

  private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> all) {
    List<Callable<T>> wrapped = new ArrayList<>(all.size());
    for (Callable<T> c : all) {
      wrapped.add(tasks.wrap(c));
    }
    return wrapped;
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
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

  @Override
  public String toString() {
    return "ContextPropagating{" + delegate + "}";
  }
}
