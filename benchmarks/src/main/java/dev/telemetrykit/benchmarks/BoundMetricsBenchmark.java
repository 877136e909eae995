package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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

/**
 * Recording on a series whose labels were bound once: TelemetryKit's guarded counter and
 * histogram against raw client_java data points with the same labels and buckets. Like
 * client_java's own benchmarks, each operation is 10 × 1024 calls, so the score is per call.
 *
 * <p>Run 1 and 2 threads: {@code java -jar benchmarks/target/benchmarks.jar BoundMetrics -t 1 -prof gc}
 * and again with {@code -t 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BoundMetricsBenchmark {

  static final int CALLS = 10 * 1024;

  TelemetryKit telemetry;
  CounterDataPoint rawCounter;
  CounterDataPoint guardedCounter;
  DistributionDataPoint rawHistogram;
  DistributionDataPoint guardedHistogram;

  @Setup
  public void setUp() {
    PrometheusRegistry registry = new PrometheusRegistry();
    rawCounter = Counter.builder().name("raw_requests_total").labelNames("path", "status")
        .register(registry).labelValues("/orders", "200");
    rawHistogram = Histogram.builder().name("raw_duration_seconds").labelNames("path")
        .classicOnly().register(registry).labelValues("/orders");

    telemetry = Benchmarks.startTelemetry(registry);
    Meters meters = telemetry.meters();
    GuardedCounter counter = meters.counter("requests_total").labelNames("path", "status")
        .register();
    GuardedHistogram histogram = meters.histogram("duration_seconds").labelNames("path")
        .register();
    guardedCounter = counter.labelValues("/orders", "200");
    guardedHistogram = histogram.labelValues("/orders");
  }

  @TearDown
  public void tearDown() {
    telemetry.close();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public CounterDataPoint counterRawClientJava() {
    for (int i = 0; i < CALLS; i++) {
      rawCounter.inc();
    }
    return rawCounter;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public CounterDataPoint counterTelemetryKit() {
    for (int i = 0; i < CALLS; i++) {
      guardedCounter.inc();
    }
    return guardedCounter;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public DistributionDataPoint histogramRawClientJava() {
    for (int i = 0; i < CALLS; i++) {
      rawHistogram.observe(0.042);
    }
    return rawHistogram;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public DistributionDataPoint histogramTelemetryKit() {
    for (int i = 0; i < CALLS; i++) {
      guardedHistogram.observe(0.042);
    }
    return guardedHistogram;
  }
}
