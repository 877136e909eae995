package dev.telemetrykit.tracing;

import static dev.telemetrykit.tracing.Kits.ENDPOINT;
import static dev.telemetrykit.tracing.Kits.exported;
import static dev.telemetrykit.tracing.Kits.kit;
import static dev.telemetrykit.tracing.Kits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.proto.trace.v1.Span.Event;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TracingModuleTest {

  @Test
  void embeddedDefaultCreatesSampledSpansExportsNothingAndReportsZeroes() throws Exception {
    try (TelemetryKit kit = kit("embedded").start()) {
      assertThat(GlobalOpenTelemetry.isSet()).isTrue();
      AtomicReference<SpanContext> inside = new AtomicReference<>();
      Tracing.create(kit).run("work", () -> inside.set(Span.current().getSpanContext()));
      assertThat(inside.get().isValid()).isTrue();
      assertThat(inside.get().isSampled()).isTrue();

      // The http/jdbc/cache modules use only the API: through the global, their spans are real.
      Span viaGlobal = GlobalOpenTelemetry.getTracer("other-module").spanBuilder("x").startSpan();
      assertThat(viaGlobal.getSpanContext().isValid()).isTrue();
      viaGlobal.end();

      String scrape = Scrapes.text(kit.metricsPort());
      for (String result : new String[] {"success", "failure", "dropped"}) {
        assertThat(Scrapes.value(scrape, "telemetrykit_spans_exported_total{result=\"" + result
            + "\"}")).as(result).isZero();
      }
      Promtool.Result lint = Promtool.checkMetrics(scrape);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
    assertThat(GlobalOpenTelemetry.isSet()).as("global reset on close").isFalse();
  }

  @Test
  void isFoundByServiceLoaderAndStartsAgainInTheSameJvm() {
    for (int i = 0; i < 2; i++) {
      try (TelemetryKit kit = TelemetryKit.builder().serviceName("discovered").metricsPort(0)
          .shutdownHook(false).jvmMetrics(false).registry(new PrometheusRegistry()).start()) {
        assertThat(kit.moduleNames()).contains("tracing");
        assertThat(kit.module(TracingModule.class)).isPresent();
        assertThat(GlobalOpenTelemetry.isSet()).isTrue();
      }
      assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    }
  }

  @Test
  void exportsOverOtlpHttpProtobufWithServiceIdentityParentLinksAndAttributes() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      String instanceId;
      try (TelemetryKit kit = kit("checkout").serviceVersion("2.0.0")
          .setting(ENDPOINT, receiver.endpoint())
          .setting("OTEL_BSP_SCHEDULE_DELAY", "10")
          .start()) {
        instanceId = kit.serviceInstanceId();
        Tracing tracing = Tracing.create(kit);
        tracing.run("checkout", () -> {
          Span.current().setAttribute("order.id", "o-1");
          tracing.run("charge-card", () -> Span.current().addEvent("authorized"));
        });
        receiver.awaitSpans(2);
        waitUntil("success counted", () -> exported(kit, "success") == 2);
        assertThat(exported(kit, "failure")).isZero();
      }
      OtlpReceiver.Received parent = receiver.byName("checkout");
      OtlpReceiver.Received child = receiver.byName("charge-card");
      assertThat(parent.serviceName()).isEqualTo("checkout");
      assertThat(parent.serviceInstanceId()).isEqualTo(instanceId);
      assertThat(parent.parentSpanId()).isEmpty();
      assertThat(child.traceId()).isEqualTo(parent.traceId());
      assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
      assertThat(parent.attribute("order.id")).isEqualTo("o-1");
      assertThat(child.span().getEventsList()).extracting(Event::getName).containsExactly("authorized");
      // http/protobuf by default (autoconfigure alone would speak gRPC and deliver nothing here).
      assertThat(receiver.contentTypes()).isNotEmpty().allMatch("application/x-protobuf"::equals);
    }
  }

  @Test
  void closeFlushesSpansStillQueuedToALiveCollector() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      try (TelemetryKit kit = kit("flush").setting(ENDPOINT, receiver.endpoint())
          .setting("OTEL_BSP_SCHEDULE_DELAY", "600000") // nothing leaves the queue before close
          .start()) {
        Tracing tracing = Tracing.create(kit);
        for (int i = 0; i < 3; i++) {
          tracing.run("queued-" + i, () -> { });
        }
        assertThat(receiver.spans()).isEmpty();
      }
      assertThat(receiver.spans()).extracting(r -> r.span().getName())
          .containsExactlyInAnyOrder("queued-0", "queued-1", "queued-2");
    }
  }

  @Test
  void otelValuesSetInCodeReachAutoconfigureAndWin() {
    try (TelemetryKit kit = kit("sampled-off").setting("OTEL_TRACES_SAMPLER", "always_off")
        .start()) {
      AtomicReference<SpanContext> inside = new AtomicReference<>();
      Tracing.create(kit).run("work", () -> inside.set(Span.current().getSpanContext()));
      assertThat(inside.get().isSampled()).isFalse();
    }
  }

  @Test
  void otelSystemPropertiesAreReadByAutoconfigure() {
    System.setProperty("otel.traces.sampler", "always_off");
    try (TelemetryKit kit = kit("sysprop").start()) {
      Span span = Tracing.create(kit).startSpan("work");
      assertThat(span.getSpanContext().isSampled()).isFalse();
      span.end();
    } finally {
      System.clearProperty("otel.traces.sampler");
    }
  }

  @Test
  void unknownSamplerFailsStartNamingTheSettingAndLeavesNothingRunning() {
    assertThatThrownBy(() -> kit("bad").setting("OTEL_TRACES_SAMPLER", "foo").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_TRACES_SAMPLER")
        .hasMessageContaining("otel.traces.sampler")
        .hasMessageContaining("foo");
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    assertThat(TelemetryKit.current()).isEmpty();
    try (TelemetryKit kit = kit("good-after-bad").start()) {
      assertThat(kit.moduleNames()).containsExactly("tracing");
    }
  }

  @Test
  void malformedEndpointFailsStartNamingTheSetting() {
    assertThatThrownBy(() -> kit("bad").setting(ENDPOINT, "not a url").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("not a url");
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @Test
  void invalidShutdownTimeoutFailsStart() {
    assertThatThrownBy(() -> kit("bad").setting(TracingModule.SHUTDOWN_TIMEOUT, "soon").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TracingModule.SHUTDOWN_TIMEOUT);
  }

  @Test
  void aNoopGlobalInstalledByAnEarlyGetIsReplaced() {
    GlobalOpenTelemetry.get(); // installs a no-op global for good, as early library code may
    try (TelemetryKit kit = kit("early-get").start()) {
      Span span = GlobalOpenTelemetry.getTracer("t").spanBuilder("x").startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      span.end();
    }
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @Test
  void aGlobalAlreadyInstalledByAnAgentIsUsedAndLeftInPlace() {
    io.opentelemetry.sdk.OpenTelemetrySdk agent = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create())).build())
        .build();
    GlobalOpenTelemetry.set(agent);
    try {
      try (TelemetryKit kit = kit("with-agent").start()) {
        assertThat(Scrapes.lines(Scrapes.text(kit.metricsPort()), TracingMetrics.SPANS_EXPORTED))
            .as("the agent reports its own export health").isEmpty();
        Span span = Tracing.create(kit).startSpan("x");
        assertThat(span.getSpanContext().isValid()).isTrue();
        span.end();
      }
      assertThat(GlobalOpenTelemetry.isSet()).as("not ours to reset").isTrue();
    } finally {
      GlobalOpenTelemetry.resetForTest();
      agent.close();
    }
  }
}
