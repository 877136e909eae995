package dev.telemetrykit.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ContextPropagationTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
      .build();
  private final Tracing tracing = Tracing.create(sdk);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() throws InterruptedException {
    worker.shutdownNow();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    MDC.clear();
    sdk.close();
  }

  private record Seen(SpanContext span, Map<String, String> mdc) {}

  private static Seen seen() {
    return new Seen(Span.current().getSpanContext(), MDC.getCopyOfContextMap());
  }

  @Test
  void tasksRunWithTheSubmittersTraceAndCorrelationIdAndTheWorkerGetsItsOwnStateBack()
      throws Exception {
    // The worker thread has state of its own, as pooled threads of frameworks often do.
    worker.submit(() -> MDC.put("worker", "w1")).get();
    ExecutorService propagating = tracing.propagating(worker);

    Span request = tracing.startSpan("request");
    MDC.put(TracingMetrics.MDC_CORRELATION_ID, "corr-42");
    Seen inTask;
    try (Scope ignored = request.makeCurrent()) {
      inTask = propagating.submit((Callable<Seen>) ContextPropagationTest::seen).get();
    } finally {
      request.end();
      MDC.clear();
    }
    assertThat(inTask.span()).isEqualTo(request.getSpanContext());
    assertThat(inTask.mdc()).containsExactly(Map.entry(TracingMetrics.MDC_CORRELATION_ID, "corr-42"));

    Seen afterwards = worker.submit(ContextPropagationTest::seen).get();
    assertThat(afterwards.span().isValid()).isFalse();
    assertThat(afterwards.mdc()).containsExactly(Map.entry("worker", "w1"));
  }

  @Test
  void everySubmissionStyleCarriesTheContext() throws Exception {
    ExecutorService propagating = tracing.propagating(worker);
    Span request = tracing.startSpan("request");
    MDC.put(TracingMetrics.MDC_CORRELATION_ID, "c-7");
    try (Scope ignored = request.makeCurrent()) {
      List<java.util.concurrent.Future<Seen>> all =
          propagating.invokeAll(List.<Callable<Seen>>of(ContextPropagationTest::seen, ContextPropagationTest::seen));
      for (java.util.concurrent.Future<Seen> f : all) {
        assertThat(f.get().span()).isEqualTo(request.getSpanContext());
      }
      Callable<Seen> one = ContextPropagationTest::seen;
      assertThat(propagating.invokeAny(List.of(one)).mdc())
          .containsEntry(TracingMetrics.MDC_CORRELATION_ID, "c-7");

      java.util.concurrent.CompletableFuture<Seen> viaExecutor =
          new java.util.concurrent.CompletableFuture<>();
      tracing.propagating((java.util.concurrent.Executor) worker)
          .execute(() -> viaExecutor.complete(seen()));
      assertThat(viaExecutor.get().span()).isEqualTo(request.getSpanContext());

      Runnable wrapped = tracing.propagating((Runnable) () -> {
        assertThat(Span.current().getSpanContext()).isEqualTo(request.getSpanContext());
      });
      java.util.concurrent.Future<?> ran = worker.submit(wrapped);
      ran.get();
    } finally {
      request.end();
    }
  }

  @Test
  void spansStartedInTasksAreChildrenOfTheSubmittersSpan() throws Exception {
    ExecutorService propagating = tracing.propagating(worker);
    tracing.run("request", () -> propagating.submit(() -> tracing.run("async-step", () -> { }))
        .get());
    var spans = exporter.getFinishedSpanItems();
    var request = spans.stream().filter(s -> s.getName().equals("request")).findFirst().orElseThrow();
    var step = spans.stream().filter(s -> s.getName().equals("async-step")).findFirst().orElseThrow();
    assertThat(step.getParentSpanId()).isEqualTo(request.getSpanId());
  }

  @Test
  void shutdownReachesTheWrappedExecutor() {
    ExecutorService propagating = tracing.propagating(worker);
    propagating.shutdown();
    assertThat(worker.isShutdown()).isTrue();
    assertThat(propagating.isShutdown()).isTrue();
  }
}
