package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.logging.internal.LoggingState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class LoggingModuleTest {

  private static TelemetryKit.Builder kit() {
    return TelemetryKit.builder().serviceName("orders").metricsPort(0).shutdownHook(false)
        .jvmMetrics(false).registry(new PrometheusRegistry()).modules(new LoggingModule());
  }

  @Test
  void countsEventsByLevelAndRedactionsByRuleInAValidScrape() throws Exception {
    try (TelemetryKit telemetry = kit().start(); JsonLogCapture capture = JsonLogCapture.start()) {
      Logger log = capture.logger("m");
      log.debug("d");
      log.info("card 4111111111111111");
      log.info("Bearer abcdef0123456789");
      log.warn("w");
      log.error("e");
      log.trace("not enabled: the capture's root level is DEBUG");
      String scrape = Scrapes.text(telemetry.metricsPort());
      assertThat(Scrapes.value(scrape, "logback_events_total{level=\"debug\"}")).isGreaterThanOrEqualTo(1);
      assertThat(Scrapes.value(scrape, "logback_events_total{level=\"info\"}")).isGreaterThanOrEqualTo(2);
      assertThat(Scrapes.value(scrape, "logback_events_total{level=\"error\"}")).isGreaterThanOrEqualTo(1);
      assertThat(Scrapes.value(scrape, "logback_events_total{level=\"trace\"}")).isEqualTo(0);
      assertThat(Scrapes.value(scrape, "telemetrykit_redactions_total{rule=\"card_number\",signal=\"log\"}")).isEqualTo(1);
      assertThat(Scrapes.value(scrape, "telemetrykit_redactions_total{rule=\"bearer\",signal=\"log\"}")).isEqualTo(1);
      assertThat(Scrapes.value(scrape, "telemetrykit_redactions_total{rule=\"jwt\",signal=\"log\"}")).isEqualTo(0);
      Promtool.Result lint = Promtool.checkMetrics(scrape);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();

      capture.reset();
      log.info("named");
      assertThat(capture.single().get("service.name").asText()).isEqualTo("orders");
    }
  }

  @Test
  void stopsCountingWhenClosed() throws Exception {
    try (JsonLogCapture capture = JsonLogCapture.start()) {
      try (TelemetryKit telemetry = kit().start()) {
        assertThat(telemetry.moduleNames()).containsExactly("logging");
      }
      capture.logger("m").info("after close 4111111111111111");
      assertThat(capture.single().get("message").asText()).isEqualTo("after close ****");
    }
  }

  @Test
  void invalidPatternFailsStartNamingTheSetting() {
    assertThatThrownBy(() -> kit().setting(TelemetryLogging.REDACT_PATTERN, "([a-z]+").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_LOG_REDACT_PATTERN")
        .hasMessageContaining("([a-z]+");
    assertThat(TelemetryKit.current()).isEmpty();
    assertThat(LoggingState.redactor().redact("abc")).isEqualTo("abc");
  }

  @Test
  void invalidEmailSwitchFailsStartNamingTheSetting() {
    assertThatThrownBy(() -> kit().setting(TelemetryLogging.REDACT_EMAILS, "maybe").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_LOG_REDACT_EMAILS").hasMessageContaining("maybe");
  }

  @Test
  void isFoundByServiceLoader() {
    assertThat(java.util.ServiceLoader.load(dev.telemetrykit.core.TelemetryModule.class).stream()
        .map(p -> p.type().getName())).contains(LoggingModule.class.getName());
  }
}
