package dev.telemetrykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  enum Format { JSON, PLAIN_TEXT }

  @Test
  void systemPropertyTwinIsLowerCaseWithDots() {
    assertThat(Settings.systemPropertyName("OTEL_EXPORTER_PROMETHEUS_PORT"))
        .isEqualTo("otel.exporter.prometheus.port");
  }

  @Test
  void explicitValuesWinOverSystemProperties() {
    System.setProperty("telemetrykit.test.value", "from-property");
    try {
      assertThat(Settings.fromEnvironment(Map.of()).string("TELEMETRYKIT_TEST_VALUE", "d"))
          .isEqualTo("from-property");
      assertThat(Settings.fromEnvironment(Map.of("TELEMETRYKIT_TEST_VALUE", "from-code"))
          .string("TELEMETRYKIT_TEST_VALUE", "d")).isEqualTo("from-code");
    } finally {
      System.clearProperty("telemetrykit.test.value");
    }
  }

  @Test
  void blankMeansUnset() {
    Settings s = Settings.of(Map.of("A", "  "));
    assertThat(s.get("A")).isEmpty();
    assertThat(s.intValue("A", 7, 0, 10)).isEqualTo(7);
  }

  @Test
  void typedValuesParse() {
    Settings s = Settings.of(Map.of("I", " 42 ", "B", "TRUE", "E", "plain-text", "D", "2s",
        "M", "250", "L", "a, b,,c "));
    assertThat(s.intValue("I", 0, 0, 100)).isEqualTo(42);
    assertThat(s.booleanValue("B", false)).isTrue();
    assertThat(s.enumValue("E", Format.class, Format.JSON)).isEqualTo(Format.PLAIN_TEXT);
    assertThat(s.duration("D", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.duration("M", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.list("L")).containsExactly("a", "b", "c");
  }

  @Test
  void badValuesNameSettingValueAndWhatIsAllowed() {
    Settings s = Settings.of(Map.of("E", "xml", "D", "soon", "I", "11"));
    assertThatThrownBy(() -> s.enumValue("E", Format.class, Format.JSON))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("E").hasMessageContaining("'xml'")
        .hasMessageContaining("json, plain_text");
    assertThatThrownBy(() -> s.duration("D", Duration.ZERO))
        .hasMessageContaining("'soon'").hasMessageContaining("500ms");
    assertThatThrownBy(() -> s.intValue("I", 0, 0, 10))
        .hasMessageContaining("'11'").hasMessageContaining("between 0 and 10");
  }

  @Test
  void describeSaysWhereTheValueCameFrom() {
    Settings s = Settings.of(Map.of("P", "8080"));
    assertThat(s.describe("P", 9464)).isEqualTo("P=8080 (set in code)");
    assertThat(s.describe("Q", 9464)).isEqualTo("Q=9464 (default)");
  }
}
