package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.internal.WrappingExecutorService;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The executor returned by {@link Meters#executor(String, ExecutorService)}: every task is
 * wrapped to record its queue wait (submit → start) and run time; everything else is the
 * delegate's. Task results and exceptions pass through unchanged.
 */
class TimedExecutorService extends WrappingExecutorService {

  final DistributionDataPoint wait;
  final DistributionDataPoint duration;
  /** Null when the pool's own RejectedExecutionHandler counts rejections. */
  final CounterDataPoint rejected;

  TimedExecutorService(ExecutorService delegate, DistributionDataPoint wait,
      DistributionDataPoint duration, CounterDataPoint rejected) {
    super(delegate);
    this.wait = wait;
    this.duration = duration;
    this.rejected = rejected;
  }

  static double seconds(long nanos) {
    return nanos <= 0 ? 0 : nanos / 1e9;
  }

  @Override
  protected Runnable wrap(Runnable task) {
    return new TimedRunnable(task);
  }

  @Override
  protected <T> Callable<T> wrap(Callable<T> task) {
    return new TimedCallable<>(task);
  }

  @Override
  protected RejectedExecutionException rejected(RejectedExecutionException e) {
    if (rejected != null) {
      rejected.inc();
    }
    return e;
  }

  /** Tasks that never started are returned as given to execute(), not as our wrappers. */
  @Override
  protected Runnable unwrap(Runnable task) {
    return task instanceof TimedRunnable ? ((TimedRunnable) task).task : task;
  }

  @Override
  public String toString() {
    return "Timed[" + delegate + "]";
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
