package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;
import dev.telemetrykit.benchmarks.HttpFilterBenchmark.FakeExchange;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link HttpFilterBenchmark}'s generated-ID request through one filter shared by every
 * benchmark thread, as a server's worker pool shares it. Run with {@code -t 1} and then
 * {@code -t 2} (or the machine's core count): without shared writes the time per request stays
 * the same, so the difference is what the threads contend on (the in-flight gauge, the
 * histograms' shared state). Each operation is 10 × 1024 requests.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar HttpFilterShared -t 2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpFilterSharedBenchmark {

  final HttpHandler handler = HttpFilterBenchmark.HELLO_HANDLER;

  /** Each thread's own exchange: only the filter is shared. */
  @State(Scope.Thread)
  public static class Exchange {
    final FakeExchange exchange = new FakeExchange("GET", "/orders/123");
  }

  @Benchmark
  @OperationsPerInvocation(HttpFilterBenchmark.CALLS)
  public int sharedFilterGeneratedRequestId(HttpFilterBenchmark.Instrumented kit, Exchange own)
      throws IOException {
    List<Filter> instrumented = kit.filters;
    FakeExchange exchange = own.exchange;
    int sum = 0;
    for (int i = 0; i < HttpFilterBenchmark.CALLS; i++) {
      exchange.reset();
      new Filter.Chain(instrumented, handler).doFilter(exchange);
      sum += exchange.getResponseCode();
    }
    return sum;
  }
}
