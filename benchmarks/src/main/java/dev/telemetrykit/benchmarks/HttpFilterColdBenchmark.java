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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The JDK filter's request in the conditions a server runs it in, against the same request
 * without the filter: before each request the benchmark does what a JDK {@code HttpServer}
 * does between two requests of a worker, so the filter finds its code and data as cold as
 * there. The filter's cost is {@code filter} minus {@code bare}.
 *
 * <ul>
 *   <li>{@code hot}: nothing in between (what {@link HttpFilterBenchmark} measures);
 *   <li>{@code syscall}: one system call ({@code Thread.yield}). On a kernel with page-table
 *       isolation and no PCID (this machine: {@code lscpu} says "Meltdown: Mitigation; PTI" and
 *       lists no {@code pcid} flag), every system call empties the TLB, and a server
 *       makes about nine per request;
 *   <li>{@code server}: the system call and 24 KB written, as much as the JDK server allocates
 *       per request (its GC log: about 24.6 KB), which pushes the filter's lines out of the
 *       first-level cache (a reused buffer, so no garbage collection enters the measurement);
 *   <li>{@code l2}: the system call and 1 MB written, which empties the second-level cache too:
 *       every line the filter touches then costs a memory access, so the difference grows
 *       with the number of lines it touches.
 * </ul>
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar HttpFilterCold -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HttpFilterColdBenchmark {

  /** Bytes the JDK server allocates per request (GC log of the hello-world server). */
  static final int SERVER_ALLOCATION = 24 * 1024;

  @Param({"hot", "syscall", "server", "l2"})
  public String between;

  final List<Filter> none = List.of();
  final FakeExchange exchange = new FakeExchange("GET", "/orders/123");
  final HttpHandler handler = HttpFilterBenchmark.HELLO_HANDLER;

  /** Written before a request: stands for the server's allocation (no GC in the measurement). */
  final byte[] sweep = new byte[1024 * 1024];
  byte round;

  private void sweep(int bytes) {
    round++;
    for (int i = 0; i < bytes; i += 64) {
      sweep[i] = round;
    }
  }

  @Benchmark
  public int bare(HttpFilterBenchmark.Instrumented kit, Blackhole bh) throws IOException {
    return request(none, bh); // the kit is started here too, only its filter is left out
  }

  @Benchmark
  public int filter(HttpFilterBenchmark.Instrumented kit, Blackhole bh) throws IOException {
    return request(kit.filters, bh);
  }

  private int request(List<Filter> filters, Blackhole bh) throws IOException {
    switch (between) {
      case "syscall":
        Thread.yield();
        break;
      case "server":
        Thread.yield();
        sweep(SERVER_ALLOCATION);
        break;
      case "l2":
        Thread.yield();
        sweep(sweep.length);
        break;
      default:
        break;
    }
    exchange.reset();
    new Filter.Chain(filters, handler).doFilter(exchange);
    return exchange.getResponseCode();
  }
}
