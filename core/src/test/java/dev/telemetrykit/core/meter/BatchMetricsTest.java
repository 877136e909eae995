package dev.telemetrykit.core.meter;

import static dev.telemetrykit.core.meter.MetersTest.assertNoPromtoolFindings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

class BatchMetricsTest {

  @Test
  void batchHandlesRecordOutcomeItemsSizeDurationAndLastSuccess() {
    try (TelemetryKit kit = Kits.start()) {
      BatchMetrics events = kit.meters().batchProcessor("order-events");
      assertThat(Scrapes.lines(Scrapes.text(kit.metricsPort()),
          "batch_processor_last_success_timestamp_seconds{")).as("no success yet").isEmpty();

      double before = System.currentTimeMillis() / 1000.0;
      try (BatchMetrics.Batch b = events.start(10)) {
        b.success();
      }
      try (BatchMetrics.Batch b = events.start(5)) {
        b.failedItems(2);
        b.success();
      }
      assertThatThrownBy(() -> {
        try (BatchMetrics.Batch b = events.start(7)) {
          throw new IllegalStateException("broker down");   // the application's own exception
        }
      }).isInstanceOf(IllegalStateException.class).hasMessage("broker down");
      try (BatchMetrics.Batch b = events.start(4)) {
        b.success();
        b.failure();
        b.close();   // closing twice records once
      }
      double after = System.currentTimeMillis() / 1000.0;

      String scrape = Scrapes.text(kit.metricsPort());
      String p = "{processor=\"order-events\"";
      assertThat(Scrapes.value(scrape,
          "batch_processor_batches_total{outcome=\"success\",processor=\"order-events\"}"))
          .isEqualTo(2.0);
      assertThat(Scrapes.value(scrape,
          "batch_processor_batches_total{outcome=\"failure\",processor=\"order-events\"}"))
          .isEqualTo(2.0);
      assertThat(Scrapes.value(scrape,
          "batch_processor_items_total{outcome=\"success\",processor=\"order-events\"}"))
          .isEqualTo(13.0);
      assertThat(Scrapes.value(scrape,
          "batch_processor_items_total{outcome=\"failure\",processor=\"order-events\"}"))
          .isEqualTo(13.0);
      assertThat(Scrapes.value(scrape, "batch_processor_batch_size_items_count" + p + "}"))
          .isEqualTo(4.0);
      assertThat(Scrapes.value(scrape, "batch_processor_batch_size_items_sum" + p + "}"))
          .isEqualTo(26.0);
      assertThat(Scrapes.value(scrape, "batch_processor_batch_size_items_bucket" + p
          + ",le=\"5.0\"}")).isEqualTo(2.0);
      assertThat(Scrapes.value(scrape, "batch_processor_batch_duration_seconds_count" + p + "}"))
          .isEqualTo(4.0);
      assertThat(Scrapes.value(scrape,
          "batch_processor_last_success_timestamp_seconds" + p + "}"))
          .isBetween(Math.floor(before), after + 1);
      assertNoPromtoolFindings(scrape);
    }
  }

  @Test
  void queueDepthIsReadAtScrapeTimeAndAFailingReadIsCounted() {
    try (TelemetryKit kit = Kits.start()) {
      BatchMetrics events = kit.meters().batchProcessor("order-events");
      BlockingQueue<String> queue = new ArrayBlockingQueue<>(10);
      events.queueDepth(queue, BlockingQueue::size);
      queue.add("a");
      queue.add("b");
      assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()),
          "batch_processor_queue_depth{processor=\"order-events\"}"))
          .isEqualTo(2.0);
      assertThatThrownBy(() -> events.queueDepth(() -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch_processor_queue_depth");

      kit.meters().batchProcessor("broken").queueDepth(() -> {
        throw new IllegalStateException("closed");
      });
      String scrape = Scrapes.text(kit.metricsPort());
      assertThat(Scrapes.lines(scrape, "batch_processor_queue_depth{processor=\"broken\"}"))
          .isEmpty();
      assertThat(kit.instrumentationErrors().count("batch-processor")).isEqualTo(1);
      assertNoPromtoolFindings(scrape);
    }
  }

  @Test
  void theSameNameGivesTheSameMeterAndBadInputFailsNamingIt() {
    try (TelemetryKit kit = Kits.start()) {
      assertThat(kit.meters().batchProcessor("a")).isSameAs(kit.meters().batchProcessor("a"));
      assertThatThrownBy(() -> kit.meters().batchProcessor(""))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Batch processor");
      assertThatThrownBy(() -> kit.meters().batchProcessor("a").start(-1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
    }
  }
}
