package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.InstrumentationErrors;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A gauge or counter whose values are read at scrape time from many sources, one series per
 * source — e.g. {@code db_client_connections_usage{pool, state}} fed by every connection pool
 * of the process. Created with {@link Meters#callbackGauge(String)} or
 * {@link Meters#callbackCounter(String)}.
 *
 * <pre>{@code
 * CallbackFamily depth = telemetry.meters().callbackGauge("batch_processor_queue_depth")
 *     .help("Items waiting").labelNames("processor").register();
 * Registration r = depth.add(queue, BlockingQueue::size, "order-events");  // holds queue weakly
 * ...
 * r.close();  // stop reporting
 * }</pre>
 *
 * <p>A source that throws does not fail the scrape: its sample is skipped, the failure is
 * counted in {@code telemetrykit_instrumentation_errors_total{component}} and logged once. A
 * source registered with a target holds it weakly and disappears when the target is collected.
 * Thread-safe; adding and removing sources never blocks a scrape.
 *
 * @since 0.1.0
 */
public final class CallbackFamily {

  /** A registered source; closing it removes its series. Idempotent. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private final String name;
  private final String component;
  private final int labelCount;
  private final InstrumentationErrors errors;
  private final CopyOnWriteArrayList<Source> sources = new CopyOnWriteArrayList<>();

  CallbackFamily(String name, String component, int labelCount, InstrumentationErrors errors) {
    this.name = name;
    this.component = component;
    this.labelCount = labelCount;
    this.errors = errors;
  }

  /** The metric name. */
  public String name() {
    return name;
  }

  /**
   * Reports {@code value.getAsDouble()} as the series with these label values.
   *
   * @throws IllegalArgumentException if the label count is wrong or a live source already
   *     reports these label values
   */
  public Registration add(DoubleSupplier value, String... labelValues) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    return register(new Source(labelValues, null, null, null, value));
  }

  /**
   * Reports {@code value.applyAsDouble(target)} as the series with these label values, holding
   * {@code target} weakly: once it is garbage-collected, the series disappears.
   *
   * @throws IllegalArgumentException if the label count is wrong or a live source already
   *     reports these label values
   */
  public <T> Registration add(T target, ToDoubleFunction<? super T> value, String... labelValues) {
    if (target == null) {
      throw new NullPointerException("target");
    }
    if (value == null) {
      throw new NullPointerException("value");
    }
    return add(target, value, null, labelValues);
  }

  /**
   * As {@link #add(Object, ToDoubleFunction, String...)}, and the source also ends (its series
   * disappears, its label values are free again) once {@code retired} is true for the target,
   * e.g. {@code ExecutorService::isTerminated}.
   */
  <T> Registration add(T target, ToDoubleFunction<? super T> value,
      java.util.function.Predicate<? super T> retired, String... labelValues) {
    if (target == null) {
      throw new NullPointerException("target");
    }
    if (value == null) {
      throw new NullPointerException("value");
    }
    @SuppressWarnings("unchecked")
    ToDoubleFunction<Object> untyped = (ToDoubleFunction<Object>) value;
    @SuppressWarnings("unchecked")
    java.util.function.Predicate<Object> untypedRetired =
        (java.util.function.Predicate<Object>) retired;
    return register(
        new Source(labelValues, new WeakReference<>(target), untyped, untypedRetired, null));
  }

  /** Number of live sources. */
  public int size() {
    return sources.size();
  }

  private synchronized Registration register(Source source) {
    String[] values = source.labelValues;
    if (values.length != labelCount) {
      throw new IllegalArgumentException("Metric '" + name + "' has " + labelCount
          + " labels but " + values.length + " label values were given: "
          + Arrays.toString(values));
    }
    for (String v : values) {
      if (v == null) {
        throw new IllegalArgumentException("Metric '" + name + "': label values must not be null");
      }
    }
    List<String> key = List.of(values);
    for (Source existing : sources) {
      if (existing.key.equals(key)) {
        if (existing.isGone()) {
          sources.remove(existing);
        } else {
          throw new IllegalArgumentException("Metric '" + name + "' already has a source for "
              + "label values " + key + "; close its Registration first or use other values");
        }
      }
    }
    sources.add(source);
    return () -> sources.remove(source);
  }

  /** Called by the underlying client_java callback at scrape time. */
  void collect(Sink sink) {
    for (Source source : sources) {
      double v;
      try {
        if (source.function != null) {
          Object target = source.target.get();
          if (target == null || source.isRetired(target)) {
            sources.remove(source);
            continue;
          }
          v = source.function.applyAsDouble(target);
        } else {
          v = source.supplier.getAsDouble();
        }
      } catch (Throwable t) {
        errors.record(component, t);
        continue;
      }
      if (!Double.isNaN(v)) {
        sink.accept(v, source.labelValues);
      }
    }
  }

  interface Sink {
    void accept(double value, String[] labelValues);
  }

  private static final class Source {
    final String[] labelValues;
    final List<String> key;
    final WeakReference<Object> target;
    final ToDoubleFunction<Object> function;
    final java.util.function.Predicate<Object> retired;
    final DoubleSupplier supplier;

    Source(String[] labelValues, WeakReference<Object> target, ToDoubleFunction<Object> function,
        java.util.function.Predicate<Object> retired, DoubleSupplier supplier) {
      this.labelValues = labelValues.clone();
      this.key = Arrays.asList(this.labelValues);
      this.target = target;
      this.function = function;
      this.retired = retired;
      this.supplier = supplier;
    }

    boolean isGone() {
      if (target == null) {
        return false;
      }
      Object t = target.get();
      return t == null || isRetired(t);
    }

    boolean isRetired(Object t) {
      if (retired == null) {
        return false;
      }
      try {
        return retired.test(t);
      } catch (RuntimeException e) {
        return false;  // the value function will fail too and be counted there
      }
    }
  }
}
