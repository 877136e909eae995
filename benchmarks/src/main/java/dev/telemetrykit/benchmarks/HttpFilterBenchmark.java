package dev.telemetrykit.benchmarks;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK server filter around a trivial in-memory exchange (no sockets) against the same
 * exchange through a filter chain without it. Both sides build one {@link Filter.Chain} per
 * request, as the JDK server does. Tracing is off (no OpenTelemetry set), which is what the
 * filter costs without the tracing module. Each operation is 10 × 1024 requests.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar HttpFilter -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpFilterBenchmark {

  static final int CALLS = 10 * 1024;

  TelemetryKit telemetry;
  List<Filter> none;
  List<Filter> instrumented;
  HttpHandler handler;
  FakeExchange withId;
  FakeExchange withoutId;

  @Setup
  public void setUp() {
    telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
    none = List.of();
    instrumented = filters(telemetry);
    handler = HELLO_HANDLER;
    withId = new FakeExchange("GET", "/orders/123");
    withId.getRequestHeaders().set("X-Request-ID", "req-4f1d2c3b");
    withoutId = new FakeExchange("GET", "/orders/123");
  }

  @TearDown
  public void tearDown() {
    telemetry.close();
  }

  static final byte[] HELLO = {'h', 'e', 'l', 'l', 'o'};

  /** The handler of every HTTP filter benchmark: 200 and five bytes. */
  static final HttpHandler HELLO_HANDLER = exchange -> {
    exchange.sendResponseHeaders(200, 5);
    exchange.getResponseBody().write(HELLO);
    exchange.close();
  };

  /** A started TelemetryKit and its {@link #filters}: the state the filter benchmarks share. */
  @State(Scope.Benchmark)
  public static class Instrumented {
    TelemetryKit telemetry;
    List<Filter> filters;

    @Setup
    public void setUp() {
      telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
      filters = filters(telemetry);
    }

    @TearDown
    public void tearDown() {
      telemetry.close();
    }
  }

  /** The filter chain of every HTTP filter benchmark: the JDK filter, templates registered. */
  static List<Filter> filters(TelemetryKit telemetry) {
    return List.of(HttpTelemetry.builder(telemetry)
        .routes("/orders/{id}", "/customers/{id}/orders", "/health").build().jdkServerFilter());
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int baselineNoFilter() throws IOException {
    int sum = 0;
    for (int i = 0; i < CALLS; i++) {
      withId.reset();
      new Filter.Chain(none, handler).doFilter(withId);
      sum += withId.getResponseCode();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int filterIncomingRequestId() throws IOException {
    int sum = 0;
    for (int i = 0; i < CALLS; i++) {
      withId.reset();
      new Filter.Chain(instrumented, handler).doFilter(withId);
      sum += withId.getResponseCode();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int filterGeneratedRequestId() throws IOException {
    int sum = 0;
    for (int i = 0; i < CALLS; i++) {
      withoutId.reset();
      new Filter.Chain(instrumented, handler).doFilter(withoutId);
      sum += withoutId.getResponseCode();
    }
    return sum;
  }

  /** An exchange in memory: fixed request, response written to nowhere. */
  static final class FakeExchange extends HttpExchange {
    private final String method;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
    private final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 50000);
    private final InputStream in = InputStream.nullInputStream();
    private final OutputStream out = OutputStream.nullOutputStream();
    private int code = -1;

    FakeExchange(String method, String path) {
      this.method = method;
      this.uri = URI.create(path);
    }

    void reset() {
      code = -1;
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return method;
    }

    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
      code = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return remote;
    }

    @Override
    public int getResponseCode() {
      return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return local;
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
