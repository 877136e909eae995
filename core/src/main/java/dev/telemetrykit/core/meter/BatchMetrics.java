package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MeterNames.FAILURE;
import static dev.telemetrykit.core.meter.MeterNames.SUCCESS;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import dev.telemetrykit.core.health.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Records the batches of one batch processor or queue consumer:
 * {@code batch_processor_batches_total{processor, outcome}},
 * {@code batch_processor_items_total{processor, outcome}},
 * {@code batch_processor_batch_size_items}, {@code batch_processor_batch_duration_seconds},
 * {@code batch_processor_queue_depth} (read at scrape time) and
 * {@code batch_processor_last_success_timestamp_seconds} (for "processing stalled" alerts).
 * Created with {@link Meters#batchProcessor(String)}.
 *
 * <pre>{@code
 * BatchMetrics events = telemetry.meters().batchProcessor("order-events");
 * events.queueDepth(queue, BlockingQueue::size);          // held weakly
 *
 * List<Event> batch = drain(queue, 500);
 * try (BatchMetrics.Batch b = events.start(batch.size())) {
 *   int rejected = publish(batch);                        // throws -> batch counted as failure
 *   b.failedItems(rejected);                              // optional: partial failures
 *   b.success();
 * }
 * }</pre>
 *
 * <p>A batch whose handle is closed without {@link Batch#success()} — typically because the
 * processing threw — is a failure, and all its items count as failed. A successful batch counts
 * its items as succeeded, minus those given to {@link Batch#failedItems(int)}.
 * {@code batch_processor_last_success_timestamp_seconds} appears with the first successful
 * batch; alert on {@code time() - batch_processor_last_success_timestamp_seconds > 900}.
 *
 * <p>Thread-safe; a {@link Batch} handle belongs to the thread processing the batch.
 *
 * @since 0.1.0
 */
public final class BatchMetrics {

  /** Upper bounds of the batch size histogram, in items. */
  static final double[] SIZE_BUCKETS =
      {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

  private final String name;
  private final CounterDataPoint batchesOk;
  private final CounterDataPoint batchesFailed;
  private final CounterDataPoint itemsOk;
  private final CounterDataPoint itemsFailed;
  private final DistributionDataPoint size;
  private final DistributionDataPoint duration;
  private final GuardedGauge lastSuccessGauge;
  private final CallbackFamily queueDepth;
  private volatile GaugeDataPoint lastSuccess;
  private final long createdMillis = System.currentTimeMillis();
  private volatile long lastSuccessMillis;

  BatchMetrics(String name, GuardedCounter batches, GuardedCounter items, GuardedHistogram size,
      GuardedHistogram duration, GuardedGauge lastSuccess, CallbackFamily queueDepth) {
    this.name = name;
    this.batchesOk = batches.labelValues(name, SUCCESS);
    this.batchesFailed = batches.labelValues(name, FAILURE);
    this.itemsOk = items.labelValues(name, SUCCESS);
    this.itemsFailed = items.labelValues(name, FAILURE);
    this.size = size.labelValues(name);
    this.duration = duration.labelValues(name);
    this.lastSuccessGauge = lastSuccess;
    this.queueDepth = queueDepth;
  }

  /** The processor name (the {@code processor} label value). */
  public String name() {
    return name;
  }

  /**
   * Starts timing a batch of {@code items} items; close the handle when the batch is done.
   *
   * @throws IllegalArgumentException if {@code items} is negative
   */
  public Batch start(int items) {
    if (items < 0) {
      throw new IllegalArgumentException(
          "Batch processor '" + name + "': items must be >= 0, was " + items);
    }
    return new Batch(items, System.nanoTime());
  }

  /**
   * Records a batch processed without a handle, e.g. from a framework callback.
   *
   * @param success whether the batch succeeded
   * @param items items in the batch
   * @param failedItems items that failed in a successful batch (ignored for a failed batch)
   * @param durationNanos processing time in nanoseconds
   */
  public void record(boolean success, int items, int failedItems, long durationNanos) {
    int n = Math.max(items, 0);
    size.observe(n);
    duration.observe(durationNanos <= 0 ? 0 : durationNanos / 1e9);
    if (success) {
      int failed = Math.min(Math.max(failedItems, 0), n);
      batchesOk.inc();
      itemsOk.inc((long) (n - failed));
      if (failed > 0) {
        itemsFailed.inc((long) failed);
      }
      long now = System.currentTimeMillis();
      lastSuccessMillis = now;
      lastSuccessPoint().set(now / 1000.0);
    } else {
      batchesFailed.inc();
      itemsFailed.inc((long) n);
    }
  }

  /**
   * Reports {@code depth.applyAsDouble(queue)} as {@code batch_processor_queue_depth}, holding
   * {@code queue} weakly. A function that throws skips the sample and is counted in
   * {@code telemetrykit_instrumentation_errors_total}.
   *
   * @throws IllegalArgumentException if a live source already reports this processor's depth
   */
  public <T> CallbackFamily.Registration queueDepth(T queue, ToDoubleFunction<? super T> depth) {
    return queueDepth.add(queue, depth, name);
  }

  /** Reports {@code depth.getAsDouble()} as {@code batch_processor_queue_depth}. */
  public CallbackFamily.Registration queueDepth(DoubleSupplier depth) {
    return queueDepth.add(depth, name);
  }

  /** When the last successful batch finished, if one did. */
  public Optional<Instant> lastSuccess() {
    long t = lastSuccessMillis;
    return t == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t));
  }

  /**
   * A health check that is DOWN when the last successful batch is older than {@code maxAge}
   * (e.g. "backup not completed within 24 h"). Before the first success the age counts from
   * when this processor was created, so a fresh process gets {@code maxAge} of grace.
   *
   * <pre>{@code
   * telemetry.health().register("nightly-backup", backups.healthCheck(Duration.ofHours(24)),
   *     Health.options().critical(false).interval(Duration.ofMinutes(1)));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code maxAge} is not positive
   */
  public HealthCheck healthCheck(Duration maxAge) {
    if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
      throw new IllegalArgumentException(
          "Batch processor '" + name + "': maxAge must be positive, was " + maxAge);
    }
    long limit = maxAge.toMillis();
    return () -> {
      long last = lastSuccessMillis;
      long age = System.currentTimeMillis() - (last == 0 ? createdMillis : last);
      if (age <= limit) {
        return HealthCheck.Result.up();
      }
      return HealthCheck.Result.down((last == 0 ? "no successful batch since start "
          : "last successful batch ") + Duration.ofMillis(age).withNanos(0) + " ago, limit "
          + maxAge);
    };
  }

  private GaugeDataPoint lastSuccessPoint() {
    GaugeDataPoint p = lastSuccess;
    if (p == null) {
      // Bound on the first success, so the series does not claim a success that never was.
      p = lastSuccessGauge.labelValues(name);
      lastSuccess = p;
    }
    return p;
  }

  /**
   * One batch being processed; records outcome, items, size and duration when closed.
   *
   * <pre>{@code
   * try (BatchMetrics.Batch b = events.start(batch.size())) {
   *   process(batch);
   *   b.success();   // not reached when process throws: the batch counts as failed
   * }
   * }</pre>
   *
   * <p>Not thread-safe: use it from the thread that processes the batch. {@link #close()} is
   * idempotent.
   */
  public final class Batch implements AutoCloseable {
    private final int items;
    private final long startNanos;
    private int failedItems;
    private boolean success;
    private boolean failed;
    private boolean closed;

    private Batch(int items, long startNanos) {
      this.items = items;
      this.startNanos = startNanos;
    }

    /** Marks the batch successful; call it last inside the try block. */
    public void success() {
      success = true;
    }

    /** Marks the batch failed, whether or not {@link #success()} is called. */
    public void failure() {
      failed = true;
    }

    /**
     * Items of a successful batch that failed individually (values above the batch size are
     * capped).
     */
    public void failedItems(int failed) {
      this.failedItems = Math.max(0, Math.min(failed, items));
    }

    /** Records the batch. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      record(success && !failed, items, failedItems, System.nanoTime() - startNanos);
    }
  }
}
