package dev.telemetrykit.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import dev.telemetrykit.cache.CacheTelemetry;
import dev.telemetrykit.cache.caffeine.CaffeineStats;
import dev.telemetrykit.core.TelemetryKit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A Caffeine {@code getIfPresent} hit with TelemetryKit's {@link CaffeineStats} against
 * Caffeine's own {@link ConcurrentStatsCounter} (both as {@code recordStats()} and, wrapped by
 * Caffeine's guard exactly as a supplied counter is, {@code recordStats(ConcurrentStatsCounter::new)})
 * and against no statistics at all. Same cache shape and 1024 present keys for all four; each
 * operation is 10 × 1024 hits, so the score is per hit.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar CaffeineStats -t 1 -prof gc}, then
 * {@code -t 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CaffeineStatsBenchmark {

  static final int KEYS = 1024;
  static final int CALLS = 10 * KEYS;

  TelemetryKit telemetry;
  Integer[] keys;
  Cache<Integer, Integer> noStats;
  Cache<Integer, Integer> caffeineBuiltIn;
  Cache<Integer, Integer> caffeineSupplied;
  Cache<Integer, Integer> telemetryKit;

  @Setup
  public void setUp() {
    telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
    CaffeineStats stats = CacheTelemetry.caffeineStats(telemetry, "bench");
    noStats = Caffeine.newBuilder().maximumSize(2 * KEYS).build();
    caffeineBuiltIn = Caffeine.newBuilder().maximumSize(2 * KEYS).recordStats().build();
    caffeineSupplied = Caffeine.newBuilder().maximumSize(2 * KEYS)
        .recordStats(ConcurrentStatsCounter::new).build();
    telemetryKit = stats.register(
        Caffeine.newBuilder().maximumSize(2 * KEYS).recordStats(stats).build());
    keys = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
      noStats.put(keys[i], i);
      caffeineBuiltIn.put(keys[i], i);
      caffeineSupplied.put(keys[i], i);
      telemetryKit.put(keys[i], i);
    }
  }

  @TearDown
  public void tearDown() {
    telemetry.close();
  }

  private void hits(Cache<Integer, Integer> cache, Blackhole bh) {
    Integer[] k = keys;
    for (int i = 0; i < CALLS; i++) {
      bh.consume(cache.getIfPresent(k[i & (KEYS - 1)]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void hitNoStats(Blackhole bh) {
    hits(noStats, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void hitCaffeineConcurrentStatsCounter(Blackhole bh) {
    hits(caffeineBuiltIn, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void hitCaffeineSuppliedConcurrentStatsCounter(Blackhole bh) {
    hits(caffeineSupplied, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void hitTelemetryKit(Blackhole bh) {
    hits(telemetryKit, bh);
  }
}
