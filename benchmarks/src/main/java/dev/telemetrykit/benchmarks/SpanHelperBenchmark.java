package dev.telemetrykit.benchmarks;

import dev.telemetrykit.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A span started, made current and ended around an empty block: {@code Tracing.run} against
 * the same calls written by hand on the raw SDK tracer. Both use one SDK — the same sampler and
 * the same {@link BatchSpanProcessor} in front of an exporter that does nothing — so the
 * difference is the helper alone. {@code sampled}: always-on sampler, spans are recorded and
 * queued; {@code not_sampled}: always-off, spans are non-recording. Each operation is
 * 10 × 1024 spans, so the score is per span.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar SpanHelper -f 1 -wi 2 -i 3 -w 1 -r 1 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanHelperBenchmark {

  static final int CALLS = 10 * 1024;
  static final Tracing.CheckedRunnable<RuntimeException> EMPTY = () -> { };

  @Param({"sampled", "not_sampled"})
  public String sampling;

  OpenTelemetrySdk sdk;
  Tracer rawTracer;
  Tracing tracing;

  @Setup
  public void setUp() {
    SpanExporter nothing = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
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
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .setSampler("sampled".equals(sampling) ? Sampler.alwaysOn() : Sampler.alwaysOff())
        .addSpanProcessor(BatchSpanProcessor.builder(nothing).build())
        .build()).build();
    tracing = Tracing.create(sdk);
    rawTracer = sdk.getTracer("dev.telemetrykit.tracing"); // same scope as the helper's
  }

  @TearDown
  public void tearDown() {
    sdk.close();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Span rawSdkStartCurrentEnd() {
    Span last = null;
    for (int i = 0; i < CALLS; i++) {
      Span span = rawTracer.spanBuilder("op").startSpan();
      try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
        last = span;
      } finally {
        span.end();
      }
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Tracing helperRun() {
    for (int i = 0; i < CALLS; i++) {
      tracing.run("op", EMPTY);
    }
    return tracing;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Span rawSdkStartEnd() {
    Span last = null;
    for (int i = 0; i < CALLS; i++) {
      last = rawTracer.spanBuilder("op").startSpan();
      last.end();
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Span helperStartSpanEnd() {
    Span last = null;
    for (int i = 0; i < CALLS; i++) {
      last = tracing.startSpan("op");
      last.end();
    }
    return last;
  }
}
