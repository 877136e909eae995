package dev.telemetrykit.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  @Test
  void acceptsOneToTwoHundredSafeCharacters() {
    assertThat(Correlation.isValid("a")).isTrue();
    assertThat(Correlation.isValid("Root=1-67891233-abcdef012345678912345678")).isTrue();
    assertThat(Correlation.isValid("req_1.2@svc+x/y=z:w-v")).isTrue();
    assertThat(Correlation.isValid("x".repeat(200))).isTrue();
  }

  @Test
  void rejectsControlCharactersQuotesSpacesNonAsciiAndOversizedValues() {
    assertThat(Correlation.isValid(null)).isFalse();
    assertThat(Correlation.isValid("")).isFalse();
    assertThat(Correlation.isValid("x".repeat(201))).isFalse();
    assertThat(Correlation.isValid("x".repeat(10 * 1024))).isFalse();
    assertThat(Correlation.isValid("abc\r\nSet-Cookie: x=1")).isFalse();
    assertThat(Correlation.isValid("abc\ndef")).isFalse();
    assertThat(Correlation.isValid("\"quoted\"")).isFalse();
    assertThat(Correlation.isValid("has space")).isFalse();
    assertThat(Correlation.isValid("bücher")).isFalse();
    assertThat(Correlation.isValid("日本")).isFalse();
    assertThat(Correlation.isValid("a\u0000b")).isFalse();
  }

  @Test
  void generatesDistinct32HexCharacterIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Correlation.generate();
      assertThat(id).matches("[0-9a-f]{32}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void computesEveryHexDigit() {
    for (int d = 0; d < 16; d++) {
      assertThat((char) Correlation.hexDigit(d)).isEqualTo(Character.forDigit(d, 16));
    }
  }

  @Test
  void rejectsHeaderNamesThatAreNotTokens() {
    assertThatThrownBy(() -> new Correlation(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Correlation(List.of("X Request")))
        .hasMessageContaining("X Request");
    assertThatThrownBy(() -> new Correlation(List.of("X-Id\r\n")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
