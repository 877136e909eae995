package dev.telemetrykit.tracing;

import static dev.telemetrykit.tracing.Kits.ENDPOINT;
import static dev.telemetrykit.tracing.Kits.kit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExemplarTest {

  private static final Pattern EXEMPLAR =
      Pattern.compile("checkout_duration_seconds_bucket\\{le=\"0\\.25\"} 1 # \\{span_id=\"([0-9a-f]{16})\",trace_id=\"([0-9a-f]{32})\"} 0\\.2");

  @Test
  void histogramObservedInASampledSpanCarriesItsTraceIdInOpenMetricsAndProtobuf()
      throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      AtomicReference<String> traceId = new AtomicReference<>();
      AtomicReference<String> spanId = new AtomicReference<>();
      String openMetrics;
      String protobuf;
      String text;
      try (TelemetryKit kit = kit("shop").setting(ENDPOINT, receiver.endpoint()).start()) {
        GuardedHistogram latency = kit.meters().histogram("checkout_duration_seconds")
            .help("Checkout time").register();
        Tracing.create(kit).run("checkout", () -> {
          traceId.set(Span.current().getSpanContext().getTraceId());
          spanId.set(Span.current().getSpanContext().getSpanId());
          latency.labelValues().observe(0.2);
        });
        openMetrics = new String(Scrapes.get(kit.metricsPort(), "/metrics", Scrapes.OPENMETRICS)
            .body(), StandardCharsets.UTF_8);
        protobuf = new String(Scrapes.get(kit.metricsPort(), "/metrics", Scrapes.PROTOBUF)
            .body(), StandardCharsets.ISO_8859_1);
        text = Scrapes.text(kit.metricsPort());
      } // close() flushes the span to the receiver

      Matcher m = EXEMPLAR.matcher(openMetrics);
      assertThat(m.find()).as("exemplar in\n" + openMetrics).isTrue();
      assertThat(m.group(1)).isEqualTo(spanId.get());
      assertThat(m.group(2)).isEqualTo(traceId.get());
      assertThat(protobuf).contains(traceId.get());

      List<OtlpReceiver.Received> spans = receiver.awaitSpans(1);
      assertThat(spans).extracting(OtlpReceiver.Received::traceId).containsExactly(traceId.get());
      // client_java marks the span it took as an exemplar, so a trace UI can find it.
      assertThat(receiver.byName("checkout").attribute("exemplar")).isEqualTo("true");

      Promtool.Result lint = Promtool.checkMetrics(text);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void observationsInUnsampledSpansCarryNoExemplar() {
    try (TelemetryKit kit = kit("unsampled").setting("OTEL_TRACES_SAMPLER", "always_off")
        .start()) {
      GuardedHistogram latency = kit.meters().histogram("checkout_duration_seconds")
          .help("Checkout time").register();
      Tracing.create(kit).run("checkout", () -> latency.labelValues().observe(0.2));
      String openMetrics = new String(Scrapes.get(kit.metricsPort(), "/metrics",
          Scrapes.OPENMETRICS).body(), StandardCharsets.UTF_8);
      assertThat(openMetrics).contains("checkout_duration_seconds_bucket{le=\"0.25\"} 1")
          .doesNotContain("trace_id");
    }
  }

  @Test
  void countersRegisteredWithoutExemplarsCarryNoneEvenInSampledSpans() {
    try (TelemetryKit kit = kit("no-exemplars").start()) {
      GuardedCounter withExemplars = kit.meters().counter("orders_total").help("Orders")
          .register();
      GuardedCounter without = kit.meters().counter("cache_lookups_total").help("Lookups")
          .withoutExemplars().register();
      Tracing.create(kit).run("checkout", () -> {
        withExemplars.labelValues().inc();
        without.labelValues().inc();
      });
      String openMetrics = new String(Scrapes.get(kit.metricsPort(), "/metrics",
          Scrapes.OPENMETRICS).body(), StandardCharsets.UTF_8);
      assertThat(Scrapes.lines(openMetrics, "orders_total ")).singleElement().asString()
          .contains("# {span_id=");
      assertThat(Scrapes.lines(openMetrics, "cache_lookups_total ")).singleElement().asString()
          .doesNotContain("#");
    }
  }
}
