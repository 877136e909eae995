package dev.telemetrykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmMetricSetTest {

  /** client_java's model name of {@code jvm_memory_pool_allocated_bytes_total}. */
  private static final String ALLOCATED = "jvm_memory_pool_allocated_bytes";

  private static TelemetryKit.Builder kit(PrometheusRegistry registry) {
    return TelemetryKit.builder().serviceName("jvm-metrics-test").metricsServer(false)
        .shutdownHook(false).registry(registry).modules();
  }

  private static List<String> names(PrometheusRegistry registry) {
    return registry.scrape().stream().map(s -> s.getMetadata().getName())
        .collect(Collectors.toCollection(ArrayList::new));
  }

  @Test
  void registersTheAllocationCounterByDefault() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TelemetryKit ignored = kit(registry).start()) {
      assertThat(names(registry)).contains("jvm_threads_current", "process_cpu_seconds", ALLOCATED);
    }
  }

  @Test
  void groupByGroupIsJvmMetricsWithoutTheAllocationCounter() {
    PrometheusRegistry theirs = new PrometheusRegistry();
    JvmMetrics.builder().register(theirs);
    PrometheusRegistry ours = new PrometheusRegistry();
    JvmMetricSet.register(ours, false);
    List<String> expected = names(theirs);
    expected.remove(ALLOCATED);

    assertThat(names(ours)).containsExactlyInAnyOrderElementsOf(expected);
    JvmMetricSet.register(ours, true);
    assertThat(names(ours)).containsExactlyInAnyOrderElementsOf(names(theirs));
  }

  @Test
  void applicationMayStillRegisterJvmMetricsAfterStart() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TelemetryKit ignored = kit(registry).start()) {
      JvmMetrics.builder().register(registry);
      assertThat(names(registry)).contains(ALLOCATED).doesNotHaveDuplicates();
    }
  }

  @Test
  void leavesOutOnlyTheAllocationCounterWhenAsked() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TelemetryKit ignored = kit(registry).jvmAllocationMetrics(false).start()) {
      assertThat(names(registry))
          .contains("jvm_threads_current", "jvm_memory_used_bytes", "jvm_gc_collection_seconds",
              "jvm_classes_currently_loaded", "jvm_runtime", "process_cpu_seconds")
          .doesNotContain(ALLOCATED);
    }
  }

  @Test
  void restartsOnTheSameRegistryWithEitherChoice() {
    PrometheusRegistry registry = new PrometheusRegistry();
    kit(registry).jvmAllocationMetrics(false).start().close();
    kit(registry).jvmAllocationMetrics(false).start().close();
    assertThat(names(registry)).doesNotContain(ALLOCATED);

    try (TelemetryKit ignored = kit(registry).jvmAllocationMetrics(true).start()) {
      assertThat(names(registry)).contains(ALLOCATED).doesNotHaveDuplicates();
    }
    kit(registry).start().close();
  }

  @Test
  void keepsJvmMetricsTheApplicationRegisteredFirst() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);

    try (TelemetryKit ignored = kit(registry).start()) {
      assertThat(names(registry)).contains(ALLOCATED, "jvm_threads_current")
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void badValueFailsStartNamingTheSetting() {
    assertThatThrownBy(() -> kit(new PrometheusRegistry())
        .setting(TelemetryKit.JVM_ALLOCATION_METRICS, "sometimes").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_JVM_ALLOCATION_METRICS")
        .hasMessageContaining("'sometimes'");
  }
}
