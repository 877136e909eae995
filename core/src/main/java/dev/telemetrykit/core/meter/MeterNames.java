package dev.telemetrykit.core.meter;

/**
 * Metric names, label names and label values of TelemetryKit's ready-made meters, exactly as
 * {@code CONVENTIONS.md} defines them (the public contract dashboards and alerts use).
 *
 * <pre>{@code
 * // PromQL built from the constants, e.g. in a test of an alert rule
 * String throttled = MeterNames.RATE_LIMITER_REQUESTS + "{" + MeterNames.LIMITER + "=\"api\","
 *     + MeterNames.OUTCOME + "=\"" + MeterNames.THROTTLED + "\"}";
 * }</pre>
 *
 * @since 0.1.0
 */
public final class MeterNames {

  private MeterNames() {}

  // ---- rate limiter
  /**
   * Counter, labels {@link #LIMITER}, {@link #OUTCOME} ({@link #ALLOWED}/{@link #THROTTLED}),
   * {@link #TIER}.
   */
  public static final String RATE_LIMITER_REQUESTS = "rate_limiter_requests_total";
  /** Histogram, label {@link #LIMITER}: time spent waiting for a permit. */
  public static final String RATE_LIMITER_WAIT = "rate_limiter_wait_duration_seconds";
  /** Gauge, label {@link #LIMITER}: permits available now. */
  public static final String RATE_LIMITER_AVAILABLE_PERMITS = "rate_limiter_available_permits";

  // ---- batch processor
  /** Counter, labels {@link #PROCESSOR}, {@link #OUTCOME} ({@link #SUCCESS}/{@link #FAILURE}). */
  public static final String BATCH_BATCHES = "batch_processor_batches_total";
  /** Counter, labels {@link #PROCESSOR}, {@link #OUTCOME}: items by outcome. */
  public static final String BATCH_ITEMS = "batch_processor_items_total";
  /** Histogram, label {@link #PROCESSOR}: items per batch. */
  public static final String BATCH_SIZE = "batch_processor_batch_size_items";
  /** Histogram, label {@link #PROCESSOR}: time to process one batch. */
  public static final String BATCH_DURATION = "batch_processor_batch_duration_seconds";
  /** Gauge, label {@link #PROCESSOR}: items waiting, read at scrape time. */
  public static final String BATCH_QUEUE_DEPTH = "batch_processor_queue_depth";
  /** Gauge, label {@link #PROCESSOR}: Unix time of the last successful batch. */
  public static final String BATCH_LAST_SUCCESS = "batch_processor_last_success_timestamp_seconds";

  // ---- executor (Micrometer's names)
  /** Gauge, label {@link #EXECUTOR}: threads running tasks. */
  public static final String EXECUTOR_ACTIVE = "executor_active_threads";
  /** Gauge, label {@link #EXECUTOR}: threads in the pool. */
  public static final String EXECUTOR_POOL_SIZE = "executor_pool_size_threads";
  /** Gauge, label {@link #EXECUTOR}: maximum threads (parallelism of a ForkJoinPool). */
  public static final String EXECUTOR_POOL_MAX = "executor_pool_max_threads";
  /** Gauge, label {@link #EXECUTOR}: tasks waiting in the queue. */
  public static final String EXECUTOR_QUEUED = "executor_queued_tasks";
  /** Gauge, label {@link #EXECUTOR}: free places in the queue. */
  public static final String EXECUTOR_QUEUE_REMAINING = "executor_queue_remaining_tasks";
  /** Counter, label {@link #EXECUTOR}: tasks completed, as the pool counts them. */
  public static final String EXECUTOR_COMPLETED = "executor_completed_tasks_total";
  /** Counter, label {@link #EXECUTOR}: tasks the pool rejected. */
  public static final String EXECUTOR_REJECTED = "executor_rejected_tasks_total";
  /** Histogram, label {@link #EXECUTOR}: run time of a task. */
  public static final String EXECUTOR_TASK_DURATION = "executor_task_duration_seconds";
  /** Histogram, label {@link #EXECUTOR}: time from submit to start of a task. */
  public static final String EXECUTOR_TASK_WAIT = "executor_task_wait_seconds";

  // ---- labels
  /** Label: name of the rate limiter. */
  public static final String LIMITER = "limiter";
  /** Label: name of the batch processor. */
  public static final String PROCESSOR = "processor";
  /** Label: name of the executor. */
  public static final String EXECUTOR = "executor";
  /** Label: outcome of a request or batch. */
  public static final String OUTCOME = "outcome";
  /** Label: caller tier of a rate limiter (empty when the limiter has no tiers). */
  public static final String TIER = "tier";

  // ---- label values
  /** {@link #OUTCOME} of a request that got its permit. */
  public static final String ALLOWED = "allowed";
  /** {@link #OUTCOME} of a request refused by the limiter. */
  public static final String THROTTLED = "throttled";
  /** {@link #OUTCOME} of a batch or item processed successfully. */
  public static final String SUCCESS = "success";
  /** {@link #OUTCOME} of a batch or item that failed. */
  public static final String FAILURE = "failure";
}
