package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-task cost of {@code meters().executor(name, pool)} against the bare executor.
 *
 * <ul>
 *   <li>{@code inline*}: an executor that runs each task on the calling thread, so the score is
 *       the wrapper's own cost per task (one object, three {@code nanoTime()}, two histogram
 *       observations) with no thread hand-off around it.
 *   <li>{@code pool*}: a real single-thread {@code ThreadPoolExecutor}: 1024 tasks submitted,
 *       then wait until the last one ran — the overhead as a real pool user sees it.
 * </ul>
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ExecutorWrapper -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExecutorWrapperBenchmark {

  static final int INLINE_CALLS = 10 * 1024;
  static final int POOL_CALLS = 1024;

  TelemetryKit telemetry;
  ExecutorService inlineBare;
  ExecutorService inlineWrapped;
  ExecutorService poolBare;
  ExecutorService poolWrapped;
  Runnable task;
  long sink;

  @Setup
  public void setUp() {
    telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
    inlineBare = new InlineExecutor();
    inlineWrapped = telemetry.meters().executor("inline", new InlineExecutor());
    poolBare = Executors.newFixedThreadPool(1);
    poolWrapped = telemetry.meters().executor("pool", Executors.newFixedThreadPool(1));
    task = () -> sink++;
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    poolBare.shutdown();
    poolWrapped.shutdown();
    poolBare.awaitTermination(10, TimeUnit.SECONDS);
    poolWrapped.awaitTermination(10, TimeUnit.SECONDS);
    telemetry.close();
  }

  @Benchmark
  @OperationsPerInvocation(INLINE_CALLS)
  public void inlineBare(Blackhole bh) {
    for (int i = 0; i < INLINE_CALLS; i++) {
      inlineBare.execute(task);
    }
    bh.consume(sink);
  }

  @Benchmark
  @OperationsPerInvocation(INLINE_CALLS)
  public void inlineTelemetryKit(Blackhole bh) {
    for (int i = 0; i < INLINE_CALLS; i++) {
      inlineWrapped.execute(task);
    }
    bh.consume(sink);
  }

  @Benchmark
  @OperationsPerInvocation(POOL_CALLS)
  public void poolBare() throws InterruptedException {
    runOnPool(poolBare);
  }

  @Benchmark
  @OperationsPerInvocation(POOL_CALLS)
  public void poolTelemetryKit() throws InterruptedException {
    runOnPool(poolWrapped);
  }

  private void runOnPool(ExecutorService pool) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    for (int i = 0; i < POOL_CALLS - 1; i++) {
      pool.execute(task);
    }
    pool.execute(done::countDown);   // one thread, FIFO: runs after all the others
    done.await();
  }

  /** Runs every task on the calling thread. */
  static final class InlineExecutor extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
