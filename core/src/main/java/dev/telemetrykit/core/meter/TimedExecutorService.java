package dev.telemetrykit.core.meter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The executor returned by {@link Meters#executor(String, ExecutorService)}: every task is
 * wrapped to record its queue wait (submit → start) and run time; everything else is the
 * delegate's. Task results and exceptions pass through unchanged.
 */
class TimedExecutorService implements ExecutorService {

  final ExecutorService delegate;
  final DistributionDataPoint wait;
  final DistributionDataPoint duration;
  /** Null when the pool's own RejectedExecutionHandler counts rejections. */
  final CounterDataPoint rejected;

  TimedExecutorService(ExecutorService delegate, DistributionDataPoint wait,
      DistributionDataPoint duration, CounterDataPoint rejected) {
    this.delegate = delegate;
    this.wait = wait;
    this.duration = duration;
    this.rejected = rejected;
  }

  static double seconds(long nanos) {
    return nanos <= 0 ? 0 : nanos / 1e9;
  }

  RejectedExecutionException rejected(RejectedExecutionException e) {
    if (rejected != null) {
      rejected.inc();
    }
    return e;
  }

  @Override
  public void execute(Runnable command) {
    if (command == null) {
      throw new NullPointerException("command");
    }
    try {
      delegate.execute(new TimedRunnable(command));
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public Future<?> submit(Runnable task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    try {
      return delegate.submit(new TimedRunnable(task));
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    try {
      return delegate.submit(new TimedRunnable(task), result);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    try {
      return delegate.submit(new TimedCallable<>(task));
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    try {
      return delegate.invokeAll(wrap(tasks));
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
      TimeUnit unit) throws InterruptedException {
    try {
      return delegate.invokeAll(wrap(tasks), timeout, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    try {
      return delegate.invokeAny(wrap(tasks));
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return delegate.invokeAny(wrap(tasks), timeout, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** Returns the tasks that never started, unwrapped where they were given to execute(). */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> pending = delegate.shutdownNow();
    List<Runnable> out = new ArrayList<>(pending.size());
    for (Runnable r : pending) {
      out.add(r instanceof TimedRunnable ? ((TimedRunnable) r).task : r);
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

  @Override
  public String toString() {
    return "Timed[" + delegate + "]";
  }

  private <T> List<Callable<T>> wrap(Collection<? extends Callable<T>> tasks) {
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      if (task == null) {
        throw new NullPointerException("tasks contains null");
      }
      wrapped.add(new TimedCallable<>(task));
    }
    return wrapped;
  }

  /** Records wait (submit → start) and run time around a Runnable. */
  final class TimedRunnable implements Runnable {
    final Runnable task;
    private final long submitted = System.nanoTime();

    TimedRunnable(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      wait.observe(seconds(start - submitted));
      try {
        task.run();
      } finally {
        duration.observe(seconds(System.nanoTime() - start));
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  /** Records wait (submit → start) and run time around a Callable. */
  final class TimedCallable<T> implements Callable<T> {
    private final Callable<T> task;
    private final long submitted = System.nanoTime();

    TimedCallable(Callable<T> task) {
      this.task = task;
    }

    @Override
    public T call() throws Exception {
      long start = System.nanoTime();
      wait.observe(seconds(start - submitted));
      try {
        return task.call();
      } finally {
        duration.observe(seconds(System.nanoTime() - start));
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }
}
