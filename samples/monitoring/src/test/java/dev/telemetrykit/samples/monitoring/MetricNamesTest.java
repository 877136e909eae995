package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

  private static final ConventionNames NAMES =
      ConventionNames.load(Tools.REPO.resolve("docs/CONVENTIONS.md"));

  @Test
  void everyMetricInAlertsAndDashboardsIsAConventionOrKnownJvmName() throws Exception {
    List<String> problems = new ArrayList<>();
    TreeSet<String> used = new TreeSet<>();
    for (PromQuery q : Tools.QUERIES.all()) {
      used.addAll(q.metricNames());
      for (String unknown : NAMES.unknown(q.metricNames())) {
        problems.add(unknown + " in " + q.file() + " " + q.title());
      }
    }
    assertThat(problems).isEmpty();
    // The list the end-to-end test and the sample must satisfy, for humans and scripts.
    Path out = Path.of("target", "monitoring-metric-names.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, used);
  }

  @Test
  void conventionsAreParsedIncludingAbbreviatedNames() {
    assertThat(NAMES.names()).contains(
        "http_server_request_duration_seconds", "db_client_connections_usage",
        "db_client_connection_idle_max", "db_client_connection_idle_min",
        "db_client_connection_wait_time_seconds", "db_client_connection_use_time_seconds",
        "cache_gets_total", "rate_limiter_requests_total", "batch_processor_queue_depth",
        "executor_queue_remaining_tasks", "executor_task_wait_seconds", "logback_events_total",
        "telemetrykit_cardinality_overflow_total", "telemetrykit_redactions_total",
        "target_info", "db_client_slow_operations_total");
    assertThat(NAMES.names()).doesNotContain("http_route", "error_type", "db_client_idle_max",
        "db_client_connection_create_wait_time_seconds");
  }

  @Test
  void histogramSeriesAreAllowedOnlyForHistograms() {
    assertThat(NAMES.contains("http_server_request_duration_seconds_bucket")).isTrue();
    assertThat(NAMES.contains("db_client_connection_wait_time_seconds_count")).isTrue();
    assertThat(NAMES.contains("jvm_gc_collection_seconds_sum")).isTrue();
    assertThat(NAMES.contains("jvm_gc_collection_seconds_bucket")).isFalse();
    assertThat(NAMES.contains("cache_size_count")).isFalse();
    assertThat(NAMES.contains("cache_gets_total_bucket")).isFalse();
  }

  @Test
  void theCheckerCatchesTypos() {
    assertThat(NAMES.unknown(List.of("http_server_request_duration_second_bucket",
        "cache_get_total", "db_client_connections_max", "jvm_memory_used_bytes", "up")))
        .containsExactly("cache_get_total", "db_client_connections_max",
            "http_server_request_duration_second_bucket");
  }
}
