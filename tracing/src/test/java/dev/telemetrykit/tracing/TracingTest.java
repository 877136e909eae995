package dev.telemetrykit.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span helpers against the SDK's own testing exporter. */
class TracingTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
      .build();
  private final Tracing tracing = Tracing.create(sdk);

  @AfterEach
  void close() {
    sdk.close();
  }

  private SpanData only(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no span " + name));
  }

  @Test
  void runMakesTheSpanCurrentNestsChildrenAndEndsIt() {
    tracing.run("parent", () -> {
      Span.current().setAttribute("order.id", "o-1");
      Span.current().addEvent("validated");
      tracing.run("child", () -> { });
    });
    SpanData parent = only("parent");
    SpanData child = only("child");
    assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(parent.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo("o-1");
    assertThat(parent.getEvents()).extracting(EventData::getName).containsExactly("validated");
    assertThat(parent.hasEnded()).isTrue();
    assertThat(parent.getInstrumentationScopeInfo().getName())
        .isEqualTo(TracingMetrics.INSTRUMENTATION_SCOPE);
    assertThat(Span.current().getSpanContext().isValid()).as("scope closed").isFalse();
  }

  @Test
  void callReturnsTheValue() {
    assertThat(tracing.call("compute", () -> 42)).isEqualTo(42);
    assertThat(only("compute").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void checkedExceptionIsRecordedAndRethrownUnchanged() {
    IOException failure = new IOException("disk full");
    assertThatThrownBy(() -> tracing.call("write", () -> {
      throw failure;
    })).isSameAs(failure);
    SpanData span = only("write");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
    assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("exception");
    assertThat(span.hasEnded()).isTrue();
  }

  @Test
  void runtimeExceptionsAndErrorsAreRethrownUnchanged() {
    IllegalStateException bug = new IllegalStateException("bug");
    assertThatThrownBy(() -> tracing.run("a", () -> {
      throw bug;
    })).isSameAs(bug);
    AssertionError error = new AssertionError("error");
    assertThatThrownBy(() -> tracing.run("b", () -> {
      throw error;
    })).isSameAs(error);
    assertThat(only("a").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(only("b").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void startSpanWithExplicitParentIgnoresTheCurrentSpan() {
    Span remembered = tracing.startSpan("message-received");
    Context saved = Context.current().with(remembered);
    remembered.end();

    Span unrelated = tracing.startSpan("unrelated");
    try (Scope ignored = unrelated.makeCurrent()) {
      Span child = tracing.startSpan("process-message", saved);
      child.end();
    } finally {
      unrelated.end();
    }
    assertThat(only("process-message").getParentSpanId())
        .isEqualTo(only("message-received").getSpanId());
  }

  @Test
  void startSpanIsAChildOfTheCurrentSpanAndIsNotMadeCurrent() {
    tracing.run("outer", () -> {
      Span inner = tracing.startSpan("inner");
      assertThat(Span.current()).isNotSameAs(inner);
      inner.end();
    });
    assertThat(only("inner").getParentSpanId()).isEqualTo(only("outer").getSpanId());
  }

  @Test
  void nullArgumentsAreNamed() {
    assertThatThrownBy(() -> tracing.run(null, () -> { })).hasMessage("spanName");
    assertThatThrownBy(() -> tracing.run("x", null)).hasMessage("block");
    assertThatThrownBy(() -> tracing.startSpan("x", null)).hasMessage("parent");
    List<SpanData> none = exporter.getFinishedSpanItems();
    assertThat(none).isEmpty();
  }
}
