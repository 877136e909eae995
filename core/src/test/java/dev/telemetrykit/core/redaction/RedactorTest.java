package dev.telemetrykit.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.Settings;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static TelemetryKit.Builder kit() {
    return TelemetryKit.builder().serviceName("redaction-test").metricsPort(0)
        .metricsHost("127.0.0.1").shutdownHook(false).jvmMetrics(false)
        .registry(new PrometheusRegistry()).modules();
  }

  @Test
  void theDetectorsMaskSecretsAndLeaveCleanTextAsTheSameInstance() {
    Redactor r = Redactor.defaults();
    String clean = "GET /api/v1/orders/12345 completed with status 200 in 17 ms";
    assertThat(r.redact(clean)).isSameAs(clean);
    assertThat(r.redact("cust 5500-0000-0000-0004")).isEqualTo("cust ****");
    assertThat(r.redact("AKIAIOSFODNN7EXAMPLE")).isEqualTo("****");
    assertThat(r.redact("x Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc")).isEqualTo("x Bearer ****");
    assertThat(r.redact("password=hunter2")).isEqualTo("password=****");
    assertThat(r.isSensitiveKey("http.request.header.authorization")).isTrue();
    assertThat(r.isSensitiveKey("http.request.header.cookie")).isTrue();
    assertThat(r.isSensitiveKey("oauth.token")).isTrue();
    assertThat(r.isSensitiveKey("customer")).isFalse();
    assertThat(r.redact("authorization", "anything")).isEqualTo("****");
    assertThat(r.containsSecret("password=hunter2")).isTrue();
    assertThat(r.containsSecret(clean)).isFalse();
  }

  @Test
  void newSettingNamesWinAndTheLogNamesStayAliases() {
    Redactor viaAlias = Redactor.fromSettings(Settings.of(Map.of(
        Redactor.LOG_KEYS, "customer_ssn", Redactor.LOG_MASK, "[x]")));
    assertThat(viaAlias.redact("customer_ssn=123-45-6789")).isEqualTo("customer_ssn=[x]");
    Redactor both = Redactor.fromSettings(Settings.of(Map.of(
        Redactor.MASK, "<m>", Redactor.LOG_MASK, "[x]")));
    assertThat(both.mask()).isEqualTo("<m>");
    assertThatThrownBy(() -> Redactor.fromSettings(Settings.of(Map.of(Redactor.PATTERN, "(a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting TELEMETRYKIT_REDACT_PATTERN");
    assertThatThrownBy(() -> Redactor.fromSettings(
        Settings.of(Map.of(Redactor.LOG_EMAILS, "maybe"))))
        .hasMessageContaining("TELEMETRYKIT_LOG_REDACT_EMAILS").hasMessageContaining("maybe");
  }

  @Test
  void anInvalidSettingFailsStart() {
    assertThatThrownBy(() -> kit().setting(Redactor.EMAILS, "sometimes").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting TELEMETRYKIT_REDACT_EMAILS").hasMessageContaining("'sometimes'");
    assertThat(TelemetryKit.current()).isEmpty();
  }

  @Test
  void findingsAreCountedBySignalInOneCounterAndCurrentIsTheRunningEngine() throws Exception {
    try (TelemetryKit telemetry = kit().start()) {
      assertThat(Redactor.current()).isSameAs(telemetry.redactor());
      Redactor health = Redactor.current().forSignal(Signal.HEALTH);
      assertThat(health.redact("db down: password=hunter2")).isEqualTo("db down: password=****");
      assertThat(health.signal()).isEqualTo(Signal.HEALTH);
      assertThat(health.forSignal(Signal.LOG)).isSameAs(telemetry.redactor());
      String scrape = Scrapes.text(telemetry.metricsPort());
      assertThat(Scrapes.value(scrape,
          "telemetrykit_redactions_total{rule=\"key_value\",signal=\"health\"}")).isEqualTo(1);
      assertThat(Scrapes.value(scrape,
          "telemetrykit_redactions_total{rule=\"card_number\",signal=\"metric\"}")).isEqualTo(0);
    }
    assertThat(Redactor.current()).isNotNull();
    assertThat(Redactor.current().redact("AKIAIOSFODNN7EXAMPLE")).isEqualTo("****");
  }

  @Test
  void theBufferVariantHoldsExactlyWhatRedactReturns() {
    Redactor emails = Redactor.of(java.util.List.of(), java.util.List.of(), Redactor.PATTERN, true,
        "****");
    Redactor pattern = Redactor.of(java.util.List.of(), java.util.List.of("ORD-[0-9]+"),
        Redactor.PATTERN, false, "[redacted]");
    String[] texts = {
        "", "GET /api/v1/orders/12345 completed with status 200 in 17 ms",
        "GET /api/v1/orders/12345 completed with status 200 in 17 ms for jane.doe@example.com",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEwMDEiLCJyb2xlIjoiYnV5ZXIifQ.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "cust 5500-0000-0000-0004 and AKIAIOSFODNN7EXAMPLE and password=hunter2 end",
        "order ORD-123 for a@b.example password=x", "x".repeat(20_000) + " password=y",
        "AKIAIOSFODNN7EXAMPLE"};
    RedactionBuffer buffer = new RedactionBuffer();
    for (Redactor r : new Redactor[] {Redactor.defaults(), emails, pattern}) {
      for (String text : texts) {
        String expected = r.redact(text);
        boolean changed = r.redact(text, buffer);
        assertThat(changed).as(text).isEqualTo(expected != text);
        assertThat(new String(buffer.chars(), 0, buffer.length())).isEqualTo(expected);
        buffer.release();
      }
    }
    assertThat(Redactor.defaults().redact(null, buffer)).isFalse();
    assertThat(buffer.length()).isZero();
  }
}
