package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
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
 * What {@code HttpTelemetry.wrap(HttpClient)} adds to a call, without the network: the wrapper
 * around a client that answers every {@code send} at once with a canned 200, against that
 * client alone. No tracing and no correlation ID in the MDC (nothing to forward), as in
 * {@code client-cpu.sh}. Each operation is 10 × 1024 calls.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar HttpClientWrapper -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpClientWrapperBenchmark {

  static final int CALLS = 10 * 1024;

  TelemetryKit telemetry;
  HttpClient bare;
  HttpClient wrapped;
  HttpRequest request;

  @Setup
  public void setUp() {
    telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
    bare = new AnsweringClient();
    wrapped = HttpTelemetry.builder(telemetry).build().wrap(bare);
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/orders/1")).build();
  }

  @TearDown
  public void tearDown() {
    telemetry.close();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int bare() throws Exception {
    return sendAll(bare);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int wrapped() throws Exception {
    return sendAll(wrapped);
  }

  private int sendAll(HttpClient client) throws Exception {
    int sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
    return sum;
  }

  /** A client whose every call returns the same 200 response at once. */
  static final class AnsweringClient extends HttpClient {
    private final HttpResponse<Void> ok = new Ok();

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException {
      return (HttpResponse<T>) ok;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler) {
      return CompletableFuture.completedFuture((HttpResponse<T>) ok);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return new SSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  /** The canned response. */
  static final class Ok implements HttpResponse<Void> {
    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (n, v) -> true);

    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<Void>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return NONE;
    }

    @Override
    public Void body() {
      return null;
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return URI.create("http://127.0.0.1:8080/orders/1");
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
