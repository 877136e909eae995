package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcSettingsTest {

  private static JdbcDataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:settings;DB_CLOSE_DELAY=-1");
    return h2;
  }

  @Test
  void anInvalidSettingFailsWrappingWithAMessageNamingIt() {
    try (TelemetryKit telemetry = Samples.startTelemetry(JdbcNames.SLOW_THRESHOLD_SETTING, "fast")) {
      assertThatThrownBy(() -> JdbcTelemetry.wrap(h2(), telemetry))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(JdbcNames.SLOW_THRESHOLD_SETTING)
          .hasMessageContaining("fast");
      // a value given in code wins over the environment
      assertThat(JdbcTelemetry.builder(telemetry).slowOperationThreshold(Duration.ofSeconds(1))
          .wrap(h2())).isNotNull();
    }
  }

  @Test
  void collectionCaptureCanBeTurnedOffBySetting() throws SQLException {
    try (TelemetryKit telemetry = Samples.startTelemetry(JdbcNames.CAPTURE_COLLECTION_SETTING, "false")) {
      try (Connection c = JdbcTelemetry.wrap(h2(), telemetry).getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS secret_customer_42 (id INT)");
        s.executeQuery("SELECT * FROM secret_customer_42").close();
      }
      String scrape = Samples.scrape(telemetry);
      assertThat(scrape).doesNotContain("secret_customer_42");
      assertThat(Samples.value(scrape, JdbcNames.OPERATION_DURATION + "_count",
          JdbcNames.DB_OPERATION_NAME, "SELECT", JdbcNames.DB_COLLECTION_NAME, "")).isEqualTo(1);
    }
  }

  @Test
  void builderRejectsBadValuesAtOnce() {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      assertThatThrownBy(() -> JdbcTelemetry.builder(telemetry).slowOperationThreshold(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowOperationThreshold");
      assertThatThrownBy(() -> JdbcTelemetry.builder(telemetry).name(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
      assertThatThrownBy(() -> JdbcTelemetry.wrap(null, telemetry))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("dataSource");
      assertThatThrownBy(() -> JdbcTelemetry.wrap(h2(), null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("telemetry");
    }
  }
}
