package dev.telemetrykit.core.meter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scheduled executor returned by {@link Meters#executor(String, ScheduledExecutorService)}.
 * Tasks given to {@code execute}/{@code submit}/{@code invoke*} record wait and run time; tasks
 * given to {@code schedule*} record run time only (their start is meant to be later).
 */
final class TimedScheduledExecutorService extends TimedExecutorService
    implements ScheduledExecutorService {

  private final ScheduledExecutorService scheduled;

  TimedScheduledExecutorService(ScheduledExecutorService delegate, DistributionDataPoint wait,
      DistributionDataPoint duration, CounterDataPoint rejected) {
    super(delegate, wait, duration, rejected);
    this.scheduled = delegate;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (command == null) {
      throw new NullPointerException("command");
    }
    try {
      return scheduled.schedule(new RunTimed(command), delay, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    if (callable == null) {
      throw new NullPointerException("callable");
    }
    try {
      return scheduled.schedule(() -> {
        long start = System.nanoTime();
        try {
          return callable.call();
        } finally {
          duration.observe(seconds(System.nanoTime() - start));
        }
      }, delay, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
      long period, TimeUnit unit) {
    if (command == null) {
      throw new NullPointerException("command");
    }
    try {
      return scheduled.scheduleAtFixedRate(new RunTimed(command), initialDelay, period, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
      long delay, TimeUnit unit) {
    if (command == null) {
      throw new NullPointerException("command");
    }
    try {
      return scheduled.scheduleWithFixedDelay(new RunTimed(command), initialDelay, delay, unit);
    } catch (RejectedExecutionException e) {
      throw rejected(e);
    }
  }

  /** Records run time only; a periodic task reuses this wrapper for every run. */
  private final class RunTimed implements Runnable {
    private final Runnable task;

    RunTimed(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
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
}
