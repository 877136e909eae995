package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceAndCorrelationTest {

  // OTel 1.67's SDK hands out a no-op tracer when no span processor is registered.
  private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();
  private final Tracer tracer = tracerProvider.get("test");

  @AfterEach
  void tearDown() {
    tracerProvider.close();
    MDC.clear();
  }

  @Test
  void traceIdsEqualTheSpanCurrentAtTheLogCall() {
    try (JsonLogCapture capture = JsonLogCapture.start()) {
      Logger log = capture.logger("t");
      log.info("before");
      Span span = tracer.spanBuilder("work").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        log.info("inside");
        Span child = tracer.spanBuilder("child").startSpan();
        try (Scope alsoIgnored = child.makeCurrent()) {
          log.info("in child");
        } finally {
          child.end();
        }
      } finally {
        span.end();
      }
      log.info("after");
      List<JsonNode> lines = capture.lines();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0).has("trace_id")).isFalse();
      assertThat(lines.get(1).get("trace_id").asText()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(lines.get(1).get("span_id").asText()).isEqualTo(span.getSpanContext().getSpanId());
      assertThat(lines.get(1).get("trace_flags").asText())
          .isEqualTo(span.getSpanContext().getTraceFlags().asHex());
      assertThat(lines.get(2).get("trace_id").asText()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(lines.get(2).get("span_id").asText()).isNotEqualTo(span.getSpanContext().getSpanId());
      assertThat(lines.get(3).has("trace_id")).isFalse();
      assertThat(lines.get(3).has("span_id")).isFalse();
    }
  }

  @Test
  void asyncAppenderKeepsTheIdsOfTheLoggingThread() throws Exception {
    try (JsonLogCapture capture = JsonLogCapture.startAsync()) {
      Logger log = capture.logger("async");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      Span[] spans = new Span[20];
      for (int i = 0; i < spans.length; i++) {
        int n = i;
        spans[i] = tracer.spanBuilder("s" + i).startSpan();
        pool.submit(() -> {
          try (Scope ignored = spans[n].makeCurrent();
               CorrelationScope c = TelemetryLogging.correlate("job-" + n)) {
            log.info("line {}", n);
          } finally {
            spans[n].end();
          }
        }).get(10, TimeUnit.SECONDS);
      }
      pool.shutdown();
      capture.drain();
      List<JsonNode> lines = capture.lines();
      assertThat(lines).hasSize(spans.length);
      for (JsonNode line : lines) {
        int n = Integer.parseInt(line.get("message").asText().substring(5));
        assertThat(line.get("trace_id").asText()).isEqualTo(spans[n].getSpanContext().getTraceId());
        assertThat(line.get("span_id").asText()).isEqualTo(spans[n].getSpanContext().getSpanId());
        assertThat(line.get("correlation_id").asText()).isEqualTo("job-" + n);
        assertThat(line.get("thread").asText()).startsWith("pool-");
      }
    }
  }

  @Test
  void correlationScopeSetsRestoresAndClearsTheId() {
    try (JsonLogCapture capture = JsonLogCapture.start()) {
      Logger log = capture.logger("c");
      try (CorrelationScope outer = TelemetryLogging.correlate("outer-1")) {
        log.info("a");
        try (CorrelationScope inner = TelemetryLogging.correlate()) {
          assertThat(inner.id()).hasSize(36);
          assertThat(TelemetryLogging.currentCorrelationId()).hasValue(inner.id());
          log.info("b");
        }
        log.info("c");
        assertThat(outer.id()).isEqualTo("outer-1");
      }
      log.info("d");
      assertThat(TelemetryLogging.currentCorrelationId()).isEmpty();
      List<JsonNode> lines = capture.lines();
      assertThat(lines.get(0).get("correlation_id").asText()).isEqualTo("outer-1");
      assertThat(lines.get(1).get("correlation_id").asText()).hasSize(36);
      assertThat(lines.get(2).get("correlation_id").asText()).isEqualTo("outer-1");
      assertThat(lines.get(3).has("correlation_id")).isFalse();
    }
  }

  @Test
  void correlationIdsAreBoundedAndFreeOfControlCharacters() {
    try (CorrelationScope scope = TelemetryLogging.correlate("a\r\nb" + "x".repeat(500))) {
      assertThat(scope.id()).startsWith("a__b").hasSize(TelemetryLogging.MAX_CORRELATION_ID_LENGTH);
    }
  }

  @Test
  void mdcCopyingExecutorRunsTasksWithTheSubmittersMdcAndRestoresTheWorkers() throws Exception {
    ExecutorService raw = Executors.newSingleThreadExecutor();
    ExecutorService pool = TelemetryLogging.mdcCopyingExecutorService(raw);
    try {
      raw.submit(() -> MDC.put("worker", "own")).get(10, TimeUnit.SECONDS);
      String seen;
      try (CorrelationScope scope = TelemetryLogging.correlate("req-42")) {
        seen = pool.submit(() -> MDC.get("correlation_id") + "/" + MDC.get("worker"))
            .get(10, TimeUnit.SECONDS);
      }
      assertThat(seen).isEqualTo("req-42/null");
      assertThat(raw.submit(() -> MDC.get("worker") + "/" + MDC.get("correlation_id"))
          .get(10, TimeUnit.SECONDS)).isEqualTo("own/null");
      String[] viaExecutor = new String[1];
      try (CorrelationScope scope = TelemetryLogging.correlate("req-43")) {
        TelemetryLogging.mdcCopyingExecutor(raw).execute(() -> viaExecutor[0] = MDC.get("correlation_id"));
      }
      raw.submit(() -> { }).get(10, TimeUnit.SECONDS);
      assertThat(viaExecutor[0]).isEqualTo("req-43");
    } finally {
      pool.shutdown();
    }
  }
}
