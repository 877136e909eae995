package dev.telemetrykit.core;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Registers client_java's JVM and process metrics one group at a time, so that the allocation
 * counter can be left out.
 *
 * <p>{@code JvmMetrics.builder().register(registry)} registers all ten groups or none. One of
 * them, {@link JvmMemoryPoolAllocationMetrics}, is not read at scrape time: it subscribes to the
 * JVM's GC notifications, which makes the JVM build and deliver a {@code GcInfo} for every
 * collection: about 0.9 ms of CPU each in a hello-world server (docs/benchmarks.md, issue 16).
 * A service that collects often can leave it out with {@code TELEMETRYKIT_JVM_ALLOCATION_METRICS}.
 *
 * <p>client_java never removes the GC listener nor lets a group register twice, so each group is
 * registered at most once per registry, however often TelemetryKit restarts on it. A group that
 * someone else already registered on the registry (for example with {@code JvmMetrics}) is kept
 * as it is.
 */
final class JvmMetricSet {

  private static final Set<PrometheusRegistry> BASE = registrySet();
  private static final Set<PrometheusRegistry> ALLOCATION = registrySet();

  private JvmMetricSet() {}

  /**
   * Registers the JVM and process metrics on {@code registry}, and the allocation counter
   * {@code jvm_memory_pool_allocated_bytes_total} too when {@code allocation} is true.
   */
  static void register(PrometheusRegistry registry, boolean allocation) {
    if (BASE.add(registry)) {
      group(registry, r -> JvmThreadsMetrics.builder().register(r));
      group(registry, r -> JvmBufferPoolMetrics.builder().register(r));
      group(registry, r -> JvmClassLoadingMetrics.builder().register(r));
      group(registry, r -> JvmCompilationMetrics.builder().register(r));
      group(registry, r -> JvmGarbageCollectorMetrics.builder().register(r));
      group(registry, r -> JvmMemoryMetrics.builder().register(r));
      group(registry, r -> JvmNativeMemoryMetrics.builder().register(r));
      group(registry, r -> JvmRuntimeInfoMetric.builder().register(r));
      group(registry, r -> ProcessMetrics.builder().register(r));
    }
    if (allocation && ALLOCATION.add(registry)) {
      group(registry, r -> JvmMemoryPoolAllocationMetrics.builder().register(r));
    }
  }

  private static void group(PrometheusRegistry registry, Consumer<PrometheusRegistry> register) {
    try {
      register.accept(registry);
    } catch (IllegalArgumentException alreadyRegistered) {
      // The registry refuses a name it already holds: someone registered this group before us
      // (JvmMetrics, or the application itself), and its series are the same.
    }
  }

  private static Set<PrometheusRegistry> registrySet() {
    // Weak, so that registries a test or a restart drops are not kept alive by this record.
    return Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  }
}
