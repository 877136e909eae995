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
  void percentEncodedSecretsAreFoundAsRawUrlPathsCarryThem() {
    // Found by AllSignalsLeakPropertyTest: the http module records url.path raw, so
    // GET /orders/Bearer%20<token> reached the exported span unmasked.
    Redactor r = Redactor.defaults();
    assertThat(r.redact("/orders/Bearer%20aaaacndw7retzeyi")).isEqualTo("/orders/Bearer ****");
    assertThat(r.redact("/n/4111%201111%201111%201111")).isEqualTo("/n/****");
    assertThat(r.redact("/n/password%3Dhunter2x")).isEqualTo("/n/password=****");
    assertThat(r.redact("/n/AKIAIOSFODNN7EXAMPLE%20x")).isEqualTo("/n/****%20x");
    assertThat(r.containsSecret("/orders/Bearer%20aaaacndw7retzeyi")).isTrue();
    String clean = "/search/caf%C3%A9%20au%20lait?q=100%";
    assertThat(r.redact(clean)).isSameAs(clean);
    assertThat(r.containsSecret(clean)).isFalse();
    String cpu = "CPU at 95% for 5 min";
    assertThat(r.redact(cpu)).isSameAs(cpu);
    String nested = "%25".repeat(10_000) + "32";
    assertThat(r.redact(nested)).isSameAs(nested);
    assertThat(r.redact("%")).isEqualTo("%");
    assertThat(r.redact("%4")).isEqualTo("%4");
  }

  @Test
  void aUrlPasswordFollowedByAHostIsNoOverlappingEmailWhenEmailsAreOn() {
    // Found by AllSignalsLeakPropertyTest: with e-mails on, the e-mail detector backed over the
    // URL password already found and redact threw IndexOutOfBoundsException — the span was
    // dropped and every log line carrying the URL was lost.
    Redactor r = Redactor.of(java.util.List.of(), java.util.List.of(), Redactor.PATTERN, true,
        Redactor.DEFAULT_MASK);
    String url = "jdbc:postgresql://t37ZDFRJ:pnG5cLgdY5x6h7iro@db.internal:5432/app";
    assertThat(r.redact(url)).isEqualTo("jdbc:postgresql://t37ZDFRJ:****@db.internal:5432/app");
    assertThat(r.redact("/orders/" + url.replace(":", "%3A").replace("/", "%2F")
        .replace("@", "%40")))
        .isEqualTo("/orders/jdbc:postgresql://t37ZDFRJ:****@db.internal:5432/app");
    assertThat(r.redact("mail ann@example.com now")).isEqualTo("mail **** now");
  }

  @Test
  void cardsSpacedEveryFourDigitsAreMaskedWhole() {
    // Found by AllSignalsLeakPropertyTest: a 13-digit card printed 4-4-4-1 was not found, and
    // a 19-digit one whose first 16 digits also pass Luhn kept its last group.
    Redactor r = Redactor.defaults();
    assertThat(r.redact("card 4222-2222-2222-2 ok")).isEqualTo("card **** ok");
    assertThat(r.redact("card 4222 2222 2222 2")).isEqualTo("card ****");
    assertThat(r.redact("card 4111 1111 1111 1111 102")).isEqualTo("card ****");
    assertThat(r.redact("card 4111 1111 1111 1111 2024")).isEqualTo("card **** 2024");
    String date = "from 2024-01-05 to 2024-02-0";
    assertThat(r.redact(date)).isSameAs(date);
  }

  @Test
  void aKeyValueInsideAnSqlLiteralQuotedByADriverMessageIsMasked() {
    // Found by AllSignalsLeakPropertyTest: H2's "Table not found; SQL statement: ... WHERE
    // note = 'id_token=''...'''" doubles the quotes, and the value after =' was empty.
    Redactor r = Redactor.defaults();
    assertThat(r.redact("WHERE note = 'id_token=''jF23YnlvETo3UHz'''"))
        .isEqualTo("WHERE note = 'id_token=''****'''");
    assertThat(r.redact("password='' and user='bob'")).isEqualTo("password='' and user='bob'");
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
        "AKIAIOSFODNN7EXAMPLE", "/orders/Bearer%20eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEwMDEifQ.abc"
            + "defghijklmnop and 4111 1111 1111 1111 and 5500-0000-0000-0004"};
    RedactionBuffer buffer = new RedactionBuffer();
    java.util.List<RedactionRule> counted = new java.util.ArrayList<>();
    for (Redactor r : new Redactor[] {Redactor.defaults(), emails, pattern}) {
      r.countInto((signal, rule) -> counted.add(rule));
      for (String text : texts) {
        counted.clear();
        String expected = r.redact(text);
        java.util.List<RedactionRule> countedByString = java.util.List.copyOf(counted);
        counted.clear();
        boolean changed = r.redact(text, buffer);
        assertThat(changed).as(text).isEqualTo(expected != text);
        assertThat(new String(buffer.chars(), 0, buffer.length())).isEqualTo(expected);
        // The same findings counted, and left in the buffer for a caller that writes it again.
        assertThat(counted).as(text).isEqualTo(countedByString);
        java.util.List<RedactionRule> recorded = new java.util.ArrayList<>();
        for (int i = 0; i < buffer.findings(); i++) {
          recorded.add(buffer.finding(i));
        }
        assertThat(recorded).as(text).isEqualTo(counted);
        buffer.release();
      }
      r.countInto(Redactor.Counts.NONE);
    }
    assertThat(Redactor.defaults().redact(null, buffer)).isFalse();
    assertThat(buffer.length()).isZero();
  }
}
