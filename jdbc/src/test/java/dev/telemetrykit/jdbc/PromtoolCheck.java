package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.testing.Promtool;

/** Runs the real {@code promtool check metrics} on a scrape and asserts it finds nothing. */
final class PromtoolCheck {

  private PromtoolCheck() {}

  static void assertClean(String scrape) {
    Promtool.Result result = Promtool.checkMetrics(scrape);
    assertThat(result.output).as("promtool findings in:\n" + scrape).isBlank();
    assertThat(result.exitCode).isZero();
  }
}
