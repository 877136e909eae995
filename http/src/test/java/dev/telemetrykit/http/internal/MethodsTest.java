package dev.telemetrykit.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.http.HttpNames;
import org.junit.jupiter.api.Test;

class MethodsTest {

  @Test
  void everyKnownMethodMapsToItsOwnIndexAndBack() {
    for (String m : new String[] {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}) {
      assertThat(Methods.name(Methods.index(m))).isEqualTo(m);
    }
  }

  @Test
  void methodsAreCaseSensitiveAndUnknownOnesAreOther() {
    for (String m : new String[] {"get", "Post", "GETS", "GE", "POS", "PROPFIND", "", null}) {
      assertThat(Methods.index(m)).as(m).isEqualTo(Methods.OTHER);
    }
    assertThat(Methods.name(Methods.OTHER)).isEqualTo(HttpNames.OTHER);
  }
}
