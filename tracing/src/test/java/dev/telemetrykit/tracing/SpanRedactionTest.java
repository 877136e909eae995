package dev.telemetrykit.tracing;

import static dev.telemetrykit.tracing.Kits.ENDPOINT;
import static dev.telemetrykit.tracing.Kits.kit;
import static dev.telemetrykit.tracing.Kits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every exported span passes the redaction engine before it reaches a real OTLP receiver. */
class SpanRedactionTest {

  private static final String AWS = "AKIAIOSFODNN7EXAMPLE";
  private static final String CARD = "5500-0000-0000-0004";
  private static final String STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
  private static final String BASIC = "dXNlcjpodW50ZXIy";
  private static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

  @Test
  void secretsInNamesAttributesEventsExceptionsAndStatusNeverReachTheCollector()
      throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      try (TelemetryKit kit = kit("redaction").setting(ENDPOINT, receiver.endpoint())
          .setting("OTEL_BSP_SCHEDULE_DELAY", "10").start()) {
        // A span shaped like the http module's server span (it uses only the global API).
        Span server = GlobalOpenTelemetry.getTracer("dev.telemetrykit.http")
            .spanBuilder("GET /orders/" + AWS).setSpanKind(SpanKind.SERVER).startSpan();
        server.setAttribute("url.path", "/orders/" + AWS);
        server.setAttribute("user_agent.original", "x Bearer " + STRIPE);
        server.setAttribute(AttributeKey.stringArrayKey("http.request.header.authorization"),
            List.of("Basic " + BASIC));
        server.setAttribute("http.request.header.cookie", "SESSION=s3cr3t-cookie-value");
        server.setAttribute("http.request.header.x-custom", "token=" + JWT);
        server.setAttribute("http.request.method", "GET");
        server.end();

        // User code through TelemetryKit's helper.
        Tracing tracing = Tracing.create(kit);
        tracing.run("charge", () -> {
          Span span = Span.current();
          span.setAttribute("order.customer", "cust " + CARD);
          span.setAttribute("order.card", 5500000000000004L);
          span.setAttribute("order.id", "o-1");
          span.setAttribute("order.items", 3L);
          span.addEvent("retry", Attributes.of(AttributeKey.stringKey("session.token"), "abc123"));
          span.recordException(new IllegalStateException(
              "charge failed for card " + CARD + " with password=hunter2"));
          span.setStatus(StatusCode.ERROR, "upstream said " + AWS);
        });

        receiver.awaitSpans(2);
        waitUntil("span redactions counted", () -> Scrapes.value(Scrapes.text(kit.metricsPort()),
            "telemetrykit_redactions_total{rule=\"aws_access_key\",signal=\"span\"}") >= 3);
      }
      String everything = receiver.spans().toString();
      for (String secret : new String[] {AWS, CARD, "5500000000000004", STRIPE, BASIC, JWT,
          "hunter2", "s3cr3t", "abc123"}) {
        assertThat(everything).as("exported spans leak " + secret).doesNotContain(secret);
      }
      OtlpReceiver.Received http = receiver.byName("GET /orders/****");
      assertThat(http.attribute("url.path")).isEqualTo("/orders/****");
      assertThat(http.attribute("user_agent.original")).isEqualTo("x Bearer ****");
      assertThat(http.attribute("http.request.method")).isEqualTo("GET");
      OtlpReceiver.Received charge = receiver.byName("charge");
      assertThat(charge.attribute("order.id")).isEqualTo("o-1");
      assertThat(charge.attribute("order.items")).isEqualTo("3");
      assertThat(charge.attribute("order.customer")).isEqualTo("cust ****");
      assertThat(charge.attribute("order.card")).isEqualTo("****");
      assertThat(charge.span().getStatus().getMessage()).isEqualTo("upstream said ****");
      assertThat(charge.span().getEventsList().toString())
          .contains("exception.stacktrace").contains("charge failed for card ****");
    }
  }
}
