package dev.telemetrykit.samples.orders;

import dev.telemetrykit.core.meter.BatchMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects order events in a bounded queue and writes them to the outbox table in batches:
 * when {@value #BATCH_SIZE} are waiting, or every {@value #FLUSH_MILLIS} ms.
 */
final class OutboxPublisher implements AutoCloseable {

  static final int CAPACITY = 10_000;
  static final int BATCH_SIZE = 50;
  static final long FLUSH_MILLIS = 500;

  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

  private final BlockingQueue<OrderStore.OutboxEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final OrderStore store;
  private final BatchMetrics metrics;
  private final ScheduledExecutorService scheduler;

  OutboxPublisher(OrderStore store, BatchMetrics metrics, ScheduledExecutorService scheduler) {
    this.store = store;
    this.metrics = metrics;
    this.scheduler = scheduler;
    metrics.queueDepth(queue, BlockingQueue::size);
    scheduler.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Queues an event; drops it with an error line when the outbox is full. */
  void publish(OrderStore.OutboxEvent event) {
    if (!queue.offer(event)) {
      LOG.error("Outbox queue full ({} events); dropping event for order {}", CAPACITY,
          event.orderId());
      return;
    }
    if (queue.size() >= BATCH_SIZE) {
      scheduler.execute(this::flush);
    }
  }

  /** Writes everything queued, in batches of at most {@value #BATCH_SIZE}. */
  synchronized void flush() {
    List<OrderStore.OutboxEvent> batch = new ArrayList<>(BATCH_SIZE);
    while (queue.drainTo(batch, BATCH_SIZE) > 0) {
      try (BatchMetrics.Batch b = metrics.start(batch.size())) {
        int written = store.appendOutbox(batch);
        b.failedItems(batch.size() - written);
        b.success();
      } catch (Exception e) {
        LOG.error("Outbox batch of {} events failed", batch.size(), e);
      }
      batch.clear();
    }
  }

  @Override
  public void close() {
    flush();
  }
}
