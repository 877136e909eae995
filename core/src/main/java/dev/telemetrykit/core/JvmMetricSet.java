package dev.telemetrykit.core;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers client_java's JVM and process metrics, group by group when the allocation counter is
 * left out.
 *
 * <p>{@code JvmMetrics.builder().register(registry)} registers all ten groups or none. One of
 * them, {@link JvmMemoryPoolAllocationMetrics}, is not read at scrape time: it subscribes to the
 * JVM's GC notifications, which makes the JVM build and deliver a {@code GcInfo} for every
 * collection: about 0.9 ms of CPU each in a hello-world server (docs/benchmarks.md, issue 16).
 * A service that collects often can leave it out with {@code TELEMETRYKIT_JVM_ALLOCATION_METRICS}.
 *
 * <p>With the allocation counter (the default) the whole set goes through {@code JvmMetrics}, as
 * before the setting existed, so an application that also calls {@code
 * JvmMetrics.builder().register()} still gets client_java's no-op for a second call.
 *
 * <p>client_java never removes the GC listener nor lets a group register twice, so each group is
 * registered at most once per registry, however often TelemetryKit restarts on it. A group that
 * someone else already registered on the registry is kept as it is.
 */
final class JvmMetricSet {

  private static final Logger LOG = LoggerFactory.getLogger(JvmMetricSet.class);

  // Weak, so that registries a test or a restart drops are not kept alive by this record.
  private static final Set<PrometheusRegistry> BASE =
      Collections.newSetFromMap(new WeakHashMap<>());
  private static final Set<PrometheusRegistry> ALLOCATION =
      Collections.newSetFromMap(new WeakHashMap<>());

  private JvmMetricSet() {}

  /**
   * Registers the JVM and process metrics on {@code registry}, and the allocation counter
   * {@code jvm_memory_pool_allocated_bytes_total} too when {@code allocation} is true.
   */
  static synchronized void register(PrometheusRegistry registry, boolean allocation) {
    if (allocation && !BASE.contains(registry)) {
      JvmMetrics.builder().register(registry);
      BASE.add(registry);
      ALLOCATION.add(registry);
      return;
    }
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
    } catch (IllegalArgumentException refused) {
      // The registry refuses a name it already holds: the application registered this group
      // before us, and its series are the same. Kept, and said, in case it was something else.
      LOG.debug("JVM metric group not registered, the registry already has it: {}",
          refused.getMessage());
    }
  }
}
