package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.tracing.internal.RedactingSpanExporter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The span redaction at export: a batch of 512 ended HTTP-server-shaped spans (name, 9
 * attributes, {@code clean} or with an AWS key in {@code url.path} and a bearer token in
 * {@code user_agent.original}) handed to {@link RedactingSpanExporter} in front of an exporter
 * that does nothing, against that exporter alone. Runs on the batch processor's thread in
 * production, never on an application thread; the score is per batch.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar SpanRedaction -f 1 -wi 2 -i 3 -w 1 -r 1 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanRedactionBenchmark {

  static final int BATCH = 512;

  @Param({"clean", "secret"})
  public String spans;

  private TelemetryKit kit;
  private List<SpanData> batch;
  private SpanExporter plain;
  private SpanExporter redacting;
  private Blackhole hole;

  @Setup(Level.Trial)
  public void setUp(Blackhole blackhole) {
    hole = blackhole;
    kit = TelemetryKit.builder().serviceName("bench").metricsServer(false).shutdownHook(false)
        .jvmMetrics(false).registry(new PrometheusRegistry()).modules().start();
    List<SpanData> ended = new ArrayList<>();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        ended.add(span.toSpanData());
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    }).build();
    Tracer tracer = provider.get("bench");
    boolean secret = spans.equals("secret");
    for (int i = 0; i < BATCH; i++) {
      String path = "/api/v1/orders/" + (secret ? "AKIAIOSFODNN7EXAMPLE" : Integer.toString(10_000 + i));
      Span s = tracer.spanBuilder("GET /api/v1/orders/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("url.scheme", "http")
          .setAttribute("url.path", path)
          .setAttribute("http.route", "/api/v1/orders/{id}")
          .setAttribute("server.address", "orders.internal")
          .setAttribute("server.port", 8080L)
          .setAttribute("client.address", "10.1.2.3")
          .setAttribute("user_agent.original", secret
              ? "curl/8.5.0 Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc" : "curl/8.5.0")
          .startSpan();
      s.setAttribute("http.response.status_code", 200L);
      s.end();
    }
    provider.close();
    batch = List.copyOf(ended);
    plain = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData s : spans) {
          hole.consume(s.getAttributes());
        }
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    InstrumentationErrors errors = kit.instrumentationErrors();
    redacting = new RedactingSpanExporter(plain, kit.redactor(), errors);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    kit.close();
  }

  @Benchmark
  public CompletableResultCode exporterAlone() {
    return plain.export(batch);
  }

  @Benchmark
  public CompletableResultCode withRedaction() {
    return redacting.export(batch);
  }
}
