package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsSelectorsInsideFunctionsAndAggregations() {
    assertThat(PromQl.selectors(
        "histogram_quantile(0.95, sum by (job, le) (rate(http_server_request_duration_seconds_bucket{job=~\".+\"}[5m]))) > 1"))
        .containsExactly("http_server_request_duration_seconds_bucket{job=~\".+\"}");
  }

  @Test
  void skipsLabelListsKeywordsNumbersDurationsAndStrings() {
    assertThat(PromQl.selectors(
        "sum by (job) (rate(a_total{x=\"by (y) z_total\"}[5m])) > 0.2 unless sum without (instance) "
            + "(rate(a_total[1h] offset 5m)) * on (job) group_left (team) b_info and 1e9 < bool c"))
        .containsExactly("a_total{x=\"by (y) z_total\"}", "a_total", "b_info", "c");
  }

  @Test
  void keepsDistinctSelectorsOfTheSameMetricAndDropsDuplicates() {
    assertThat(PromQl.selectors(
        "sum(rate(x_total{result=\"hit\"}[1m])) / sum(rate(x_total[1m])) / sum(rate(x_total[1m]))"))
        .containsExactly("x_total{result=\"hit\"}", "x_total");
  }

  @Test
  void normalisesWhitespaceInMatchersButNotInValues() {
    assertThat(PromQl.selectors("up {job = \"a b\", instance=~\".+\"} == 0"))
        .containsExactly("up{job=\"a b\",instance=~\".+\"}");
  }

  @Test
  void handlesTimeFunctionsAndNameOnlyMatchers() {
    assertThat(PromQl.selectors("time() - x_seconds > 300 and {__name__=\"y_depth\"} > 0"))
        .containsExactly("x_seconds", "{__name__=\"y_depth\"}");
    assertThat(PromQl.metricName("{__name__=\"y_depth\"}")).isEqualTo("y_depth");
    assertThat(PromQl.metricName("x_total{a=\"b\"}")).isEqualTo("x_total");
  }

  @Test
  void rejectsUnbalancedBraces() {
    assertThatThrownBy(() -> PromQl.selectors("rate(x_total{a=\"b\"[5m])"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbalanced");
  }

  @Test
  void grafanaVariablesBecomeRegexesOnlyInsideRegexMatchers() {
    PromQuery ok = new PromQuery(PromQuery.Kind.PANEL, "f", "t",
        "rate(x_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval])");
    assertThat(ok.forPrometheus("30s")).isEqualTo("rate(x_total{job=~\".+\", instance=~\".+\"}[30s])");
    PromQuery bad = new PromQuery(PromQuery.Kind.PANEL, "f", "t", "x_total{job=\"$job\"}");
    assertThatThrownBy(() -> bad.forPrometheus("1m")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$job");
  }
}
