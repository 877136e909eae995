package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MetersTest.assertNoPromtoolFindings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.internal.CardinalityGuard;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import org.junit.jupiter.api.Test;

/** Metric label values pass the redaction engine once, when their series is created. */
class LabelRedactionTest {

  private static final String CARD = "cust 5500-0000-0000-0004";
  private static final String AWS = "AKIAIOSFODNN7EXAMPLE";

  @Test
  void secretsInLabelValuesAreMaskedCountedAndLoggedOnceWithoutTheValue() throws Exception {
    try (TelemetryKit kit = Kits.start(); LogCapture log = LogCapture.of(CardinalityGuard.class)) {
      GuardedCounter orders = kit.meters().counter("orders_by_customer_total")
          .help("Orders by customer").labelNames("customer").register();
      orders.labelValues(CARD).inc();
      orders.labelValues(CARD).inc();        // known raw value: the bound series, no new check
      orders.labelValues(AWS).inc();
      orders.labelValues("cust 42").inc();
      CounterDataPoint bound = orders.labelValues(CARD);
      assertThat(bound).isSameAs(orders.labelValues(CARD));

      for (String accept : new String[] {Scrapes.TEXT, Scrapes.OPENMETRICS}) {
        String scrape = new String(Scrapes.get(kit.metricsPort(), "/metrics", accept).body());
        assertThat(scrape).doesNotContain("5500-0000-0000-0004").doesNotContain(AWS);
        assertThat(scrape).contains("orders_by_customer_total{customer=\"cust ****\"} 2")
            .contains("orders_by_customer_total{customer=\"****\"} 1")
            .contains("orders_by_customer_total{customer=\"cust 42\"} 1");
      }
      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.value(scrape,
          "telemetrykit_redactions_total{rule=\"card_number\",signal=\"metric\"}")).isEqualTo(1);
      assertThat(Scrapes.value(scrape,
          "telemetrykit_redactions_total{rule=\"aws_access_key\",signal=\"metric\"}")).isEqualTo(1);
      assertNoPromtoolFindings(scrape);

      assertThat(log.warnings()).hasSize(1);
      assertThat(log.warnings().get(0)).contains("orders_by_customer_total").contains("'customer'")
          .doesNotContain("5500").doesNotContain(AWS);
    }
  }

  @Test
  void labelNamesThatNameSecretsAreRejectedAtRegistration() {
    try (TelemetryKit kit = Kits.start()) {
      for (String name : new String[] {"password", "api_key", "session_token", "authorization"}) {
        assertThatThrownBy(() -> kit.meters().counter("logins_total").labelNames("user", name))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("logins_total").hasMessageContaining("'" + name + "'");
      }
      kit.meters().counter("logins_total").labelNames("user", "outcome").register();
    }
  }
}
