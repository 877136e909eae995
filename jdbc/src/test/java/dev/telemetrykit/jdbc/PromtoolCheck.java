package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.testing.Promtool;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real {@code promtool check metrics} on a scrape and asserts it finds nothing but
 * the one known, accepted lint: the semconv gauge {@code db_client_connection_count} ends in
 * {@code _count}, which promtool reserves for histograms and summaries. The name is
 * TelemetryKit's contract (CONVENTIONS.md); see {@link JdbcNames#CONNECTION_COUNT}.
 */
final class PromtoolCheck {

  static final String ACCEPTED = JdbcNames.CONNECTION_COUNT
      + " non-histogram and non-summary metrics should not have \"_count\" suffix";

  private PromtoolCheck() {}

  static void assertClean(String scrape) {
    Promtool.Result result = Promtool.checkMetrics(scrape);
    List<String> findings = new ArrayList<>();
    boolean accepted = false;
    for (String line : result.output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.trim().equals(ACCEPTED)) {
        accepted = true;
      } else {
        findings.add(line);
      }
    }
    assertThat(findings).as("promtool findings in:\n" + scrape).isEmpty();
    // promtool exits 3 for lint findings only, 0 when there are none
    assertThat(result.exitCode).isEqualTo(accepted ? 3 : 0);
  }
}
