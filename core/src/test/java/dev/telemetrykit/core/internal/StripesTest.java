package dev.telemetrykit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StripesTest {

  @Test
  void stripesArePowersOfTwoFromEightToSixtyFour() {
    assertThat(Stripes.count(1)).isEqualTo(8);
    assertThat(Stripes.count(2)).isEqualTo(8);
    assertThat(Stripes.count(6)).isEqualTo(16);
    assertThat(Stripes.count(16)).isEqualTo(64);
    assertThat(Stripes.count(256)).isEqualTo(64);
  }

  @Test
  void theCurrentThreadsStripeIsInRangeAndStable() {
    int stripe = Stripes.current();
    assertThat(stripe).isBetween(0, Stripes.COUNT - 1).isEqualTo(Stripes.current());
  }
}
