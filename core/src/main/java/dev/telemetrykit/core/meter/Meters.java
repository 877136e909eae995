package dev.telemetrykit.core.meter;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.internal.CardinalityGuard;
import dev.telemetrykit.core.internal.Names;
import dev.telemetrykit.core.internal.OverflowDataPoints;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Creates TelemetryKit's metrics: counters, gauges and classic histograms whose label sets are
 * capped by the cardinality guard, and callback gauges/counters that never fail a scrape.
 * Reached as {@code telemetry.meters()}.
 *
 * <pre>{@code
 * Meters meters = telemetry.meters();
 * GuardedCounter orders = meters.counter("orders_created_total")
 *     .help("Orders accepted").labelNames("channel").register();
 * GuardedHistogram latency = meters.histogram("checkout_duration_seconds")
 *     .help("Checkout time").register();                    // seconds buckets by default
 * orders.labelValues("web").inc();
 * latency.labelValues().observe(0.25);
 * }</pre>
 *
 * <p><b>Get or create.</b> Registering a name again with the same type, label names (and
 * buckets) returns the metric already registered, so two instrumented components can share
 * one metric. The same name with another type, labels or buckets throws
 * {@link IllegalArgumentException} naming the metric — at registration, never when recording.
 *
 * <p><b>Cardinality.</b> Each metric keeps at most {@link #cardinalityLimit()} distinct label
 * sets ({@code TELEMETRYKIT_CARDINALITY_LIMIT}, default 2000, like the OpenTelemetry SDK).
 * Past it, new label sets are recorded into one series whose label values are all
 * {@code _OTHER}; existing series keep recording; each folded recording is counted in
 * {@code telemetrykit_cardinality_overflow_total{metric}}, and one WARN log line names the
 * label whose distinct values grew most.
 *
 * <p><b>Ready-made meters.</b> {@link #rateLimiter(String)}, {@link #batchProcessor(String)} and
 * {@link #executor(String, ExecutorService)} record the metrics CONVENTIONS.md names for rate
 * limiters, batch processors and thread pools, with their fixed label sets bound once:
 *
 * <pre>{@code
 * RateLimiterMetrics api = meters.rateLimiter("api");
 * BatchMetrics events = meters.batchProcessor("order-events");
 * ExecutorService workers = meters.executor("workers", Executors.newFixedThreadPool(8));
 * }</pre>
 *
 * <p>Metric names must match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and label names
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class Meters {

  /** Metric counting recordings folded into an overflow series. */
  public static final String CARDINALITY_OVERFLOW_METRIC = "telemetrykit_cardinality_overflow_total";

  private final PrometheusRegistry registry;
  private final int cardinalityLimit;
  private final InstrumentationErrors errors;
  private final Counter overflowCounter;
  private final Redactor redactor;
  private final ConcurrentHashMap<String, Registered> byName = new ConcurrentHashMap<>();
  private final List<Collector> collectors = new ArrayList<>();
  private final ConcurrentHashMap<String, RateLimiterMetrics> rateLimiters =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, BatchMetrics> batchProcessors =
      new ConcurrentHashMap<>();

  /**
   * Used by {@code TelemetryKit}; applications get theirs from {@code telemetry.meters()}.
   *
   * @param overflowCounter the {@value #CARDINALITY_OVERFLOW_METRIC} counter, label
   *     {@code metric}, already registered
   */
  public Meters(
      PrometheusRegistry registry,
      int cardinalityLimit,
      InstrumentationErrors errors,
      Counter overflowCounter) {
    this(registry, cardinalityLimit, errors, overflowCounter,
        Redactor.defaults().forSignal(Signal.METRIC));
  }

  /**
   * Used by {@code TelemetryKit}: as {@link #Meters(PrometheusRegistry, int,
   * InstrumentationErrors, Counter)}, with the redaction engine that checks label names at
   * registration and label values when a series is created.
   */
  public Meters(
      PrometheusRegistry registry,
      int cardinalityLimit,
      InstrumentationErrors errors,
      Counter overflowCounter,
      Redactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor").forSignal(Signal.METRIC);
    this.registry = Objects.requireNonNull(registry, "registry");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.overflowCounter = Objects.requireNonNull(overflowCounter, "overflowCounter");
    if (cardinalityLimit < 1) {
      throw new IllegalArgumentException("cardinalityLimit must be >= 1, was " + cardinalityLimit);
    }
    this.cardinalityLimit = cardinalityLimit;
  }

  /** The registry the metrics are registered in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Default cap on distinct label sets per metric. */
  public int cardinalityLimit() {
    return cardinalityLimit;
  }

  /** Where instrumentation built on these meters reports its own failures. */
  public InstrumentationErrors errors() {
    return errors;
  }

  /** Starts a counter; the name may end in {@code _total} (it is exposed with it either way). */
  public CounterBuilder counter(String name) {
    return new CounterBuilder(name);
  }

  /** Starts a classic histogram, by default with client_java's seconds buckets (5 ms–10 s). */
  public HistogramBuilder histogram(String name) {
    return new HistogramBuilder(name);
  }

  /** Starts a gauge that the application sets. */
  public GaugeBuilder gauge(String name) {
    return new GaugeBuilder(name);
  }

  /** Starts a gauge read from sources at scrape time. */
  public CallbackBuilder callbackGauge(String name) {
    return new CallbackBuilder(name, false);
  }

  /** Starts a counter read from sources at scrape time (monotonic values, e.g. task counts). */
  public CallbackBuilder callbackCounter(String name) {
    return new CallbackBuilder(name, true);
  }

  /**
   * The meter of one rate limiter (get or create by name): requests by outcome and tier, wait
   * time, available permits. See {@link RateLimiterMetrics}; for Resilience4j and Bucket4j
   * limiters use the adapters, which call this.
   *
   * @param name the {@code limiter} label value, e.g. {@code "api"}
   * @throws IllegalArgumentException if {@code name} is null or empty
   */
  public RateLimiterMetrics rateLimiter(String name) {
    checkInstanceName("Rate limiter", name);
    return rateLimiters.computeIfAbsent(name, n -> new RateLimiterMetrics(n,
        counter(MeterNames.RATE_LIMITER_REQUESTS)
            .help("Requests decided by a rate limiter, by outcome (allowed/throttled) and tier")
            .labelNames(MeterNames.LIMITER, MeterNames.OUTCOME, MeterNames.TIER).register(),
        histogram(MeterNames.RATE_LIMITER_WAIT)
            .help("Time a request waited for a rate limiter's decision")
            .labelNames(MeterNames.LIMITER).buckets(RateLimiterMetrics.WAIT_BUCKETS).register(),
        callbackGauge(MeterNames.RATE_LIMITER_AVAILABLE_PERMITS)
            .help("Permits a rate limiter can grant now").labelNames(MeterNames.LIMITER)
            .component("rate-limiter").register()));
  }

  /**
   * The meter of one batch processor or queue consumer (get or create by name): batches and
   * items by outcome, batch size and duration, queue depth, last success. See
   * {@link BatchMetrics}.
   *
   * @param name the {@code processor} label value, e.g. {@code "order-events"}
   * @throws IllegalArgumentException if {@code name} is null or empty
   */
  public BatchMetrics batchProcessor(String name) {
    checkInstanceName("Batch processor", name);
    String[] processor = {MeterNames.PROCESSOR};
    return batchProcessors.computeIfAbsent(name, n -> new BatchMetrics(n,
        counter(MeterNames.BATCH_BATCHES).help("Batches processed, by outcome")
            .labelNames(MeterNames.PROCESSOR, MeterNames.OUTCOME).register(),
        counter(MeterNames.BATCH_ITEMS).help("Items processed in batches, by outcome")
            .labelNames(MeterNames.PROCESSOR, MeterNames.OUTCOME).register(),
        histogram(MeterNames.BATCH_SIZE).help("Items per batch").labelNames(processor)
            .buckets(BatchMetrics.SIZE_BUCKETS).register(),
        histogram(MeterNames.BATCH_DURATION).help("Time to process one batch")
            .labelNames(processor).register(),
        gauge(MeterNames.BATCH_LAST_SUCCESS)
            .help("Unix time of the last successful batch").labelNames(processor).register(),
        callbackGauge(MeterNames.BATCH_QUEUE_DEPTH).help("Items waiting to be processed")
            .labelNames(processor).component("batch-processor").register()));
  }

  /**
   * Wraps an executor so that every task records its queue wait (submit → start,
   * {@code executor_task_wait_seconds}) and run time ({@code executor_task_duration_seconds}),
   * and rejected tasks are counted ({@code executor_rejected_tasks_total}). For a
   * {@link ThreadPoolExecutor} (also scheduled) or {@link ForkJoinPool}, the pool's own numbers
   * are read at scrape time ({@code executor_active_threads}, {@code _pool_size_threads},
   * {@code _pool_max_threads}, {@code _queued_tasks}, {@code _queue_remaining_tasks},
   * {@code executor_completed_tasks_total}), holding the pool weakly; they disappear once the
   * pool has terminated.
   *
   * <pre>{@code
   * ExecutorService workers = telemetry.meters()
   *     .executor("workers", Executors.newFixedThreadPool(8));
   * }</pre>
   *
   * <p>The returned executor keeps the {@link ExecutorService} contract: shutdown and
   * termination are the delegate's; a task's exception reaches {@code Future.get()} unchanged
   * (wrapped in {@code ExecutionException} as usual). Submit tasks through the returned
   * executor: tasks given to the delegate directly are not timed. For a
   * {@code ThreadPoolExecutor}, rejections are counted by wrapping its
   * {@code RejectedExecutionHandler} (whatever the policy: abort, caller-runs, discard); set a
   * custom handler <em>before</em> calling this. Per task the wrapper costs one small object
   * and three {@code System.nanoTime()} calls (see {@code docs/benchmarks.md}).
   *
   * @param name the {@code executor} label value, e.g. {@code "workers"}
   * @throws IllegalArgumentException if {@code name} is empty, or another live pool is
   *     already instrumented under this name
   */
  public ExecutorService executor(String name, ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ScheduledExecutorService) {
      return executor(name, (ScheduledExecutorService) executor);
    }
    ExecutorParts parts = executorParts(name, executor);
    return new TimedExecutorService(executor, parts.wait, parts.duration, parts.rejected);
  }

  /**
   * As {@link #executor(String, ExecutorService)} for a scheduled executor. Tasks given to
   * {@code schedule*} record their run time only, not a queue wait (their start is meant to be
   * later).
   */
  public ScheduledExecutorService executor(String name, ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    ExecutorParts parts = executorParts(name, executor);
    return new TimedScheduledExecutorService(executor, parts.wait, parts.duration,
        parts.rejected);
  }

  private ExecutorParts executorParts(String name, ExecutorService executor) {
    checkInstanceName("Executor", name);
    String[] label = {MeterNames.EXECUTOR};
    DistributionDataPoint wait = histogram(MeterNames.EXECUTOR_TASK_WAIT)
        .help("Time a task waited between submit and start").labelNames(label)
        .buckets(RateLimiterMetrics.WAIT_BUCKETS).register().labelValues(name);
    DistributionDataPoint duration = histogram(MeterNames.EXECUTOR_TASK_DURATION)
        .help("Run time of a task").labelNames(label)
        .buckets(RateLimiterMetrics.WAIT_BUCKETS).register().labelValues(name);
    CounterDataPoint rejected = counter(MeterNames.EXECUTOR_REJECTED)
        .help("Tasks the executor rejected").labelNames(label).register().labelValues(name);
    synchronized (collectors) {
      if (executor instanceof ThreadPoolExecutor) {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        addPoolGauges(name, pool, ThreadPoolExecutor::getActiveCount,
            ThreadPoolExecutor::getPoolSize, ThreadPoolExecutor::getMaximumPoolSize,
            p -> p.getQueue().size(), p -> p.getQueue().remainingCapacity(),
            ThreadPoolExecutor::getCompletedTaskCount);
        pool.setRejectedExecutionHandler(
            new CountingRejectionHandler(pool.getRejectedExecutionHandler(), rejected));
        return new ExecutorParts(wait, duration, null);
      }
      if (executor instanceof ForkJoinPool) {
        addPoolGauges(name, (ForkJoinPool) executor, ForkJoinPool::getActiveThreadCount,
            ForkJoinPool::getPoolSize, ForkJoinPool::getParallelism,
            p -> p.getQueuedTaskCount() + p.getQueuedSubmissionCount(), null, null);
      }
    }
    return new ExecutorParts(wait, duration, rejected);
  }

  /** Registers all gauges or none (a name clash on the first one leaves nothing behind). */
  private <P extends ExecutorService> void addPoolGauges(String name, P pool,
      ToDoubleFunction<P> active, ToDoubleFunction<P> size, ToDoubleFunction<P> max,
      ToDoubleFunction<P> queued, ToDoubleFunction<P> remaining, ToDoubleFunction<P> completed) {
    String[] label = {MeterNames.EXECUTOR};
    Predicate<P> terminated = ExecutorService::isTerminated;
    List<CallbackFamily.Registration> added = new ArrayList<>();
    try {
      added.add(callbackGauge(MeterNames.EXECUTOR_ACTIVE).help("Threads running tasks")
          .labelNames(label).component("executor").register()
          .add(pool, active, terminated, name));
      added.add(callbackGauge(MeterNames.EXECUTOR_POOL_SIZE).help("Threads in the pool")
          .labelNames(label).component("executor").register()
          .add(pool, size, terminated, name));
      added.add(callbackGauge(MeterNames.EXECUTOR_POOL_MAX)
          .help("Maximum threads of the pool (parallelism of a ForkJoinPool)")
          .labelNames(label).component("executor").register()
          .add(pool, max, terminated, name));
      added.add(callbackGauge(MeterNames.EXECUTOR_QUEUED).help("Tasks waiting in the queue")
          .labelNames(label).component("executor").register()
          .add(pool, queued, terminated, name));
      if (remaining != null) {
        added.add(callbackGauge(MeterNames.EXECUTOR_QUEUE_REMAINING)
            .help("Free places in the task queue").labelNames(label).component("executor")
            .register().add(pool, remaining, terminated, name));
      }
      if (completed != null) {
        added.add(callbackCounter(MeterNames.EXECUTOR_COMPLETED)
            .help("Tasks the pool completed").labelNames(label).component("executor")
            .register().add(pool, completed, terminated, name));
      }
    } catch (IllegalArgumentException e) {
      added.forEach(CallbackFamily.Registration::close);
      throw new IllegalArgumentException("Executor '" + name + "' is already instrumented for"
          + " another pool that has not terminated; give each pool its own name", e);
    }
  }

  private static void checkInstanceName(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(kind + " name must not be null or empty");
    }
  }

  private static final class ExecutorParts {
    final DistributionDataPoint wait;
    final DistributionDataPoint duration;
    final CounterDataPoint rejected;

    ExecutorParts(DistributionDataPoint wait, DistributionDataPoint duration,
        CounterDataPoint rejected) {
      this.wait = wait;
      this.duration = duration;
      this.rejected = rejected;
    }
  }

  /** Counts every rejection of a ThreadPoolExecutor, then applies its own policy. */
  private static final class CountingRejectionHandler implements RejectedExecutionHandler {
    private final RejectedExecutionHandler policy;
    private final CounterDataPoint rejected;

    CountingRejectionHandler(RejectedExecutionHandler policy, CounterDataPoint rejected) {
      this.policy = policy;
      this.rejected = rejected;
    }

    @Override
    public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
      rejected.inc();
      policy.rejectedExecution(r, executor);
    }
  }

  /** Unregisters every metric created here; used when TelemetryKit closes. */
  public void unregisterAll() {
    synchronized (collectors) {
      for (Collector c : collectors) {
        registry.unregister(c);
      }
      collectors.clear();
      byName.clear();
      rateLimiters.clear();
      batchProcessors.clear();
    }
  }

  /** Common builder options. */
  public abstract class Builder<B extends Builder<B>> {
    final String name;
    String help = "";
    String[] labelNames = new String[0];
    int limit = cardinalityLimit;
    boolean exemplars = true;

    Builder(String name) {
      Names.checkMetricName(name);
      this.name = name;
    }

    /** The HELP text. */
    public B help(String help) {
      this.help = Objects.requireNonNull(help, "help");
      return self();
    }

    /** The label names, in the order label values will be given. */
    public B labelNames(String... labelNames) {
      Names.checkLabelNames(name, labelNames);
      for (String label : labelNames) {
        if (redactor.isSensitiveKey(label)) {
          throw new IllegalArgumentException("Metric '" + name + "': label name '" + label
              + "' names a secret (password, token, key, cookie, ...); its values would be"
              + " exposed on /metrics. Record something bounded and non-secret instead");
        }
      }
      this.labelNames = labelNames.clone();
      return self();
    }

    /** Overrides the cap on distinct label sets for this metric. */
    public B cardinalityLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException(
            "Metric '" + name + "': cardinality limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return self();
    }

    /**
     * Records no exemplars (trace links) on this metric. By default, when tracing is on, a
     * recording inside a sampled span may keep its trace ID as an exemplar, which costs a
     * look-up of the current span per recording; turn it off for counters on very hot paths
     * where a trace link says nothing (cache hits). The first registration of a name decides.
     */
    public B withoutExemplars() {
      this.exemplars = false;
      return self();
    }

    @SuppressWarnings("unchecked")
    B self() {
      return (B) this;
    }

    String key() {
      return name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    }

    <M> M getOrCreate(String type, double[] buckets, Class<M> kind,
        java.util.function.Supplier<M> create) {
      Registered existing = byName.get(key());
      if (existing == null) {
        synchronized (collectors) {
          existing = byName.get(key());
          if (existing == null) {
            M created = create.get();
            byName.put(key(), new Registered(type, labelNames, buckets, created));
            return created;
          }
        }
      }
      if (!existing.type.equals(type) || !Arrays.equals(existing.labelNames, labelNames)
          || !Arrays.equals(existing.buckets, buckets)) {
        throw new IllegalArgumentException("Metric '" + name + "' is already registered as "
            + existing.describe() + "; cannot register it again as "
            + new Registered(type, labelNames, buckets, null).describe());
      }
      return kind.cast(existing.metric);
    }

    /** @param binder creates the real series for label values (the metric's labelValues) */
    <D extends DataPoint> CardinalityGuard<D> guard(Function<String[], D> binder,
        BiFunction<D, CounterDataPoint, D> overflowWrapper) {
      if (labelNames.length == 0) {
        return null;
      }
      return new CardinalityGuard<>(name, labelNames, limit, binder,
          overflowWrapper, overflowCounter.labelValues(name), redactor);
    }

    void add(Collector collector) {
      registry.register(collector);
      collectors.add(collector);
    }
  }

  /** Builds a {@link GuardedCounter}. */
  public final class CounterBuilder extends Builder<CounterBuilder> {
    CounterBuilder(String name) {
      super(name);
    }

    /** Registers (or returns the same counter already registered). */
    public GuardedCounter register() {
      return getOrCreate("counter", null, GuardedCounter.class, () -> {
        Counter.Builder builder = Counter.builder().name(name).help(help).labelNames(labelNames);
        if (!exemplars) {
          builder.withoutExemplars();
        }
        Counter counter = builder.build();
        add(counter);
        return new GuardedCounter(name, labelNames, labelNames.length == 0 ? counter : null,
            guard(counter::labelValues, OverflowDataPoints::counter));
      });
    }
  }

  /** Builds a {@link GuardedGauge}. */
  public final class GaugeBuilder extends Builder<GaugeBuilder> {
    GaugeBuilder(String name) {
      super(name);
    }

    /** Registers (or returns the same gauge already registered). */
    public GuardedGauge register() {
      return getOrCreate("gauge", null, GuardedGauge.class, () -> {
        Gauge.Builder builder = Gauge.builder().name(name).help(help).labelNames(labelNames);
        if (!exemplars) {
          builder.withoutExemplars();
        }
        Gauge gauge = builder.build();
        add(gauge);
        return new GuardedGauge(name, labelNames, labelNames.length == 0 ? gauge : null,
            guard(gauge::labelValues, OverflowDataPoints::gauge));
      });
    }
  }

  /** Builds a {@link GuardedHistogram} with classic buckets. */
  public final class HistogramBuilder extends Builder<HistogramBuilder> {
    private double[] buckets = io.prometheus.metrics.core.metrics.Histogram.Builder
        .DEFAULT_CLASSIC_UPPER_BOUNDS.clone();

    HistogramBuilder(String name) {
      super(name);
    }

    /** Upper bounds of the classic buckets, strictly increasing ({@code +Inf} is implied). */
    public HistogramBuilder buckets(double... upperBounds) {
      if (upperBounds == null || upperBounds.length == 0) {
        throw new IllegalArgumentException("Metric '" + name + "': give at least one bucket");
      }
      for (int i = 0; i < upperBounds.length; i++) {
        if (Double.isNaN(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
          throw new IllegalArgumentException("Metric '" + name
              + "': bucket bounds must be strictly increasing numbers, got "
              + Arrays.toString(upperBounds));
        }
      }
      this.buckets = upperBounds.clone();
      return this;
    }

    /** Registers (or returns the same histogram already registered). */
    public GuardedHistogram register() {
      return getOrCreate("histogram", buckets, GuardedHistogram.class, () -> {
        StripedHistogram histogram =
            new StripedHistogram(name, help, labelNames, buckets, exemplars);
        add(histogram);
        return new GuardedHistogram(name, labelNames,
            labelNames.length == 0 ? histogram.labelValues() : null,
            guard(histogram::labelValues, OverflowDataPoints::distribution));
      });
    }
  }

  /** Builds a {@link CallbackFamily}. */
  public final class CallbackBuilder extends Builder<CallbackBuilder> {
    private final boolean counter;
    private String component;

    CallbackBuilder(String name, boolean counter) {
      super(name);
      this.counter = counter;
    }

    /**
     * The {@code component} label under which failing sources are counted in
     * {@code telemetrykit_instrumentation_errors_total}; defaults to the metric name.
     */
    public CallbackBuilder component(String component) {
      this.component = Objects.requireNonNull(component, "component");
      return this;
    }

    /** Registers (or returns the same family already registered). */
    public CallbackFamily register() {
      String type = counter ? "callback counter" : "callback gauge";
      return getOrCreate(type, null, CallbackFamily.class, () -> {
        String errorComponent = component == null ? name : component;
        errors.declare(errorComponent);
        CallbackFamily family = new CallbackFamily(name, errorComponent, labelNames.length,
            errors);
        Collector collector;
        if (counter) {
          collector = CounterWithCallback.builder().name(name).help(help).labelNames(labelNames)
              .callback(cb -> family.collect(cb::call)).build();
        } else {
          collector = GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames)
              .callback(cb -> family.collect(cb::call)).build();
        }
        add(collector);
        return family;
      });
    }
  }

  private static final class Registered {
    final String type;
    final String[] labelNames;
    final double[] buckets;
    final Object metric;

    Registered(String type, String[] labelNames, double[] buckets, Object metric) {
      this.type = type;
      this.labelNames = labelNames.clone();
      this.buckets = buckets;
      this.metric = metric;
    }

    String describe() {
      return "a " + type + " with labels " + Arrays.toString(labelNames)
          + (buckets == null ? "" : " and buckets " + Arrays.toString(buckets));
    }
  }
}
