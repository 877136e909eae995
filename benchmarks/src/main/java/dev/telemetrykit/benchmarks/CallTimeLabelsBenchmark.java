package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;
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
 * Label values given at call time ({@code metric.labelValues(path, status).inc()}) through the
 * cardinality guard, against raw client_java's {@code labelValues(...)} on the same labels. The
 * label sets already exist (steady state, under the limit), four of them in turn. Each
 * operation is 10 × 1024 calls, so the score is per call.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar CallTimeLabels -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallTimeLabelsBenchmark {

  static final int CALLS = 10 * 1024;
  static final String[] PATHS = {"/orders", "/orders/{id}", "/carts", "/health"};
  static final String[] STATUS = {"200", "404", "200", "503"};

  TelemetryKit telemetry;
  Counter rawCounter;
  Histogram rawHistogram;
  GuardedCounter guardedCounter;
  GuardedHistogram guardedHistogram;

  @Setup
  public void setUp() {
    PrometheusRegistry registry = new PrometheusRegistry();
    rawCounter = Counter.builder().name("raw_requests_total").labelNames("path", "status")
        .register(registry);
    rawHistogram = Histogram.builder().name("raw_duration_seconds").labelNames("path", "status")
        .classicOnly().register(registry);
    telemetry = Benchmarks.startTelemetry(registry);
    Meters meters = telemetry.meters();
    guardedCounter = meters.counter("requests_total").labelNames("path", "status").register();
    guardedHistogram = meters.histogram("duration_seconds").labelNames("path", "status")
        .register();
  }

  @TearDown
  public void tearDown() {
    telemetry.close();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Counter counterRawClientJava() {
    for (int i = 0; i < CALLS; i++) {
      int k = i & 3;
      rawCounter.labelValues(PATHS[k], STATUS[k]).inc();
    }
    return rawCounter;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public GuardedCounter counterTelemetryKit() {
    for (int i = 0; i < CALLS; i++) {
      int k = i & 3;
      guardedCounter.labelValues(PATHS[k], STATUS[k]).inc();
    }
    return guardedCounter;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Histogram histogramRawClientJava() {
    for (int i = 0; i < CALLS; i++) {
      int k = i & 3;
      rawHistogram.labelValues(PATHS[k], STATUS[k]).observe(0.042);
    }
    return rawHistogram;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public GuardedHistogram histogramTelemetryKit() {
    for (int i = 0; i < CALLS; i++) {
      int k = i & 3;
      guardedHistogram.labelValues(PATHS[k], STATUS[k]).observe(0.042);
    }
    return guardedHistogram;
  }
}
