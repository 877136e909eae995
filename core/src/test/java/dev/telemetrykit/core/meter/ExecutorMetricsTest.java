package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MetersTest.assertNoPromtoolFindings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecutorMetricsTest {

  private static final long WAIT_SECONDS = 60;

  @Test
  void aSaturatedBoundedPoolCountsRejectionsAndStillThrowsThemToTheCaller() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
      ExecutorService workers = kit.meters().executor("workers", pool);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      Future<?> first = workers.submit(() -> {
        running.countDown();
        release.await();
        return null;
      });
      running.await(WAIT_SECONDS, TimeUnit.SECONDS);
      Future<String> queued = workers.submit(() -> "done");
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> workers.execute(() -> { }))
            .isInstanceOf(RejectedExecutionException.class);
      }
      assertThatThrownBy(() -> workers.submit(() -> "x"))
          .isInstanceOf(RejectedExecutionException.class);

      String busy = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(busy, "executor_rejected_tasks_total{executor=\"workers\"}"))
          .isEqualTo(4.0);
      assertThat(Scrapes.value(busy, "executor_active_threads{executor=\"workers\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(busy, "executor_pool_size_threads{executor=\"workers\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(busy, "executor_pool_max_threads{executor=\"workers\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(busy, "executor_queued_tasks{executor=\"workers\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(busy, "executor_queue_remaining_tasks{executor=\"workers\"}"))
          .isEqualTo(0.0);
      assertNoPromtoolFindings(busy);

      release.countDown();
      first.get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(queued.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
      awaitCompleted(pool, 2);

      String idle = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(idle, "executor_task_wait_seconds_count{executor=\"workers\"}"))
          .isEqualTo(2.0);
      assertThat(Scrapes.value(idle,
          "executor_task_duration_seconds_count{executor=\"workers\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(idle, "executor_completed_tasks_total{executor=\"workers\"}"))
          .isEqualTo(2.0);
      workers.shutdown();
      assertThat(workers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void rejectionsAreCountedWhateverThePoolsPolicy() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy());
      ExecutorService workers = kit.meters().executor("caller-runs", pool);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      workers.execute(() -> {
        running.countDown();
        awaitQuietly(release);
      });
      running.await(WAIT_SECONDS, TimeUnit.SECONDS);
      workers.execute(() -> { });                // queued
      AtomicInteger ranHere = new AtomicInteger();
      Thread caller = Thread.currentThread();
      workers.execute(() -> {                    // rejected: runs on this thread
        if (Thread.currentThread() == caller) {
          ranHere.incrementAndGet();
        }
      });
      release.countDown();
      awaitCompleted(pool, 2);

      assertThat(ranHere.get()).isEqualTo(1);
      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, "executor_rejected_tasks_total{executor=\"caller-runs\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(scrape,
          "executor_task_wait_seconds_count{executor=\"caller-runs\"}")).isEqualTo(3.0);
      workers.shutdown();
    }
  }

  @Test
  void queueWaitAndRunTimeAreRecordedOncePerTaskRun() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
      ExecutorService workers = kit.meters().executor("many", pool);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        int n = i;
        futures.add(workers.submit(() -> n));
        workers.execute(() -> { });
      }
      List<Callable<Integer>> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(() -> 1);
      }
      int sum = 0;
      for (Future<Integer> f : workers.invokeAll(batch)) {
        sum += f.get();
      }
      assertThat(sum).isEqualTo(100);
      AtomicInteger anyRan = new AtomicInteger();
      List<Callable<Integer>> any = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        any.add(() -> anyRan.incrementAndGet());
      }
      assertThat(workers.invokeAny(any)).isPositive();
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(i);
      }
      workers.shutdown();
      assertThat(workers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      // invokeAny cancels the tasks it no longer needs: some never start (the pool still
      // counts them as completed), so count the tasks whose code actually ran.
      long ran = 10_000 + 100 + anyRan.get();
      assertThat(pool.getCompletedTaskCount()).isGreaterThanOrEqualTo(ran);
      GuardedHistogram wait = kit.meters().histogram(MeterNames.EXECUTOR_TASK_WAIT)
          .labelNames(MeterNames.EXECUTOR).buckets(RateLimiterMetrics.WAIT_BUCKETS).register();
      GuardedHistogram run = kit.meters().histogram(MeterNames.EXECUTOR_TASK_DURATION)
          .labelNames(MeterNames.EXECUTOR).buckets(RateLimiterMetrics.WAIT_BUCKETS).register();
      assertThat(wait.labelValues("many").getCount()).isEqualTo(ran);
      assertThat(run.labelValues("many").getCount()).isEqualTo(ran);
    }
  }

  @Test
  void taskExceptionsReachFutureGetUnchanged() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ExecutorService workers = kit.meters().executor("failing", Executors.newFixedThreadPool(2));
      IOException checked = new IOException("disk gone");
      IllegalStateException unchecked = new IllegalStateException("bad state");
      Future<Object> a = workers.submit(() -> {
        throw checked;
      });
      Future<?> b = workers.submit((Runnable) () -> {
        throw unchecked;
      });
      assertThatThrownBy(() -> a.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isSameAs(checked);
      assertThatThrownBy(() -> b.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isSameAs(unchecked);
      List<Callable<String>> tasks = List.of(() -> {
        throw checked;
      });
      assertThatThrownBy(() -> workers.invokeAny(tasks))
          .isInstanceOf(ExecutionException.class).cause().isSameAs(checked);
      workers.shutdown();
      assertThat(workers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      GuardedHistogram run = kit.meters().histogram(MeterNames.EXECUTOR_TASK_DURATION)
          .labelNames(MeterNames.EXECUTOR).buckets(RateLimiterMetrics.WAIT_BUCKETS).register();
      assertThat(run.labelValues("failing").getCount()).isEqualTo(3);
    }
  }

  @Test
  void shutdownKeepsTheContractAndATerminatedPoolsNameCanBeReused() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
      ExecutorService workers = kit.meters().executor("jobs", pool);
      assertThatThrownBy(() -> kit.meters().executor("jobs", Executors.newFixedThreadPool(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'jobs'");

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      workers.execute(() -> {
        running.countDown();
        awaitQuietly(release);
      });
      running.await(WAIT_SECONDS, TimeUnit.SECONDS);
      Runnable never = () -> { };
      workers.execute(never);
      List<Runnable> pending = workers.shutdownNow();
      assertThat(pending).containsExactly(never);
      assertThat(workers.isShutdown()).isTrue();
      assertThatThrownBy(() -> workers.execute(() -> { }))
          .isInstanceOf(RejectedExecutionException.class);
      assertThat(workers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(workers.isTerminated()).isTrue();

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.lines(scrape, "executor_active_threads{executor=\"jobs\"}")).isEmpty();
      assertThat(Scrapes.value(scrape, "executor_rejected_tasks_total{executor=\"jobs\"}"))
          .isEqualTo(1.0);
      ExecutorService again = kit.meters().executor("jobs", Executors.newFixedThreadPool(1));
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
          "executor_pool_max_threads{executor=\"jobs\"}")).isEqualTo(1.0);
      again.shutdown();
    }
  }

  @Test
  void forkJoinAndScheduledPoolsExposeTheirGaugesAndTimeTheirTasks() throws Exception {
    try (TelemetryKit kit = Kits.start()) {
      ForkJoinPool fj = new ForkJoinPool(3);
      ExecutorService forkJoin = kit.meters().executor("fork-join", fj);
      ScheduledExecutorService timers =
          kit.meters().executor("timers", new ScheduledThreadPoolExecutor(2));
      ExecutorService viaBaseType =
          kit.meters().executor("timers2", (ExecutorService) new ScheduledThreadPoolExecutor(1));
      assertThat(viaBaseType).isInstanceOf(ScheduledExecutorService.class);

      assertThat(forkJoin.submit(() -> 42).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
      ScheduledFuture<String> later = timers.schedule(() -> "tick", 1, TimeUnit.MILLISECONDS);
      assertThat(later.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("tick");
      CountDownLatch threeRuns = new CountDownLatch(3);
      ScheduledFuture<?> periodic =
          timers.scheduleAtFixedRate(threeRuns::countDown, 0, 1, TimeUnit.MILLISECONDS);
      assertThat(threeRuns.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      periodic.cancel(false);
      assertThat(timers.submit(() -> "now").get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("now");

      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape, "executor_pool_max_threads{executor=\"fork-join\"}"))
          .isEqualTo(3.0);
      assertThat(Scrapes.lines(scrape, "executor_queued_tasks{executor=\"fork-join\"}"))
          .hasSize(1);
      assertThat(Scrapes.value(scrape, "executor_task_wait_seconds_count{executor=\"fork-join\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(scrape, "executor_pool_max_threads{executor=\"timers\"}"))
          .isEqualTo(Integer.MAX_VALUE);
      // Only the submitted task has a queue wait; scheduled runs record their run time.
      assertThat(Scrapes.value(scrape, "executor_task_wait_seconds_count{executor=\"timers\"}"))
          .isEqualTo(1.0);
      assertThat(Scrapes.value(scrape,
          "executor_task_duration_seconds_count{executor=\"timers\"}")).isGreaterThanOrEqualTo(5.0);
      assertNoPromtoolFindings(scrape);

      forkJoin.shutdown();
      timers.shutdown();
      viaBaseType.shutdown();
      assertThat(forkJoin.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(timers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void awaitCompleted(ThreadPoolExecutor pool, long tasks)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (pool.getCompletedTaskCount() < tasks && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(pool.getCompletedTaskCount()).isEqualTo(tasks);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
