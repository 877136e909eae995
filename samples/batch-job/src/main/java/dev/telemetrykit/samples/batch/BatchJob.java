package dev.telemetrykit.samples.batch;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.BatchMetrics;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch job: exports invoices in batches, records them with {@link BatchMetrics}, and — when
 * {@code TELEMETRYKIT_PUSHGATEWAY_URL} is set — pushes its metrics to a Prometheus Pushgateway
 * as it exits, because no Prometheus scrape would catch a process this short-lived.
 *
 * <pre>
 * TELEMETRYKIT_PUSHGATEWAY_URL=http://127.0.0.1:9091 java -jar batch-job.jar --items 1000
 * </pre>
 *
 * <p>Options: {@code --items N} (default 1000), {@code --batch-size N} (100),
 * {@code --fail-every K} (every K-th item is rejected by the sink; 0 = none),
 * {@code --fail-batch I} (batch number I, from 0, throws; -1 = none). Exits 1 when a batch
 * failed, so the scheduler (cron, Kubernetes Job) sees it too.
 */
public final class BatchJob {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJob.class);

  /** What one run recorded, for the caller and the end-to-end test. */
  public record Result(int batchesOk, int batchesFailed, int itemsOk, int itemsFailed) {
    @Override
    public String toString() {
      return "batches_ok=" + batchesOk + " batches_failed=" + batchesFailed
          + " items_ok=" + itemsOk + " items_failed=" + itemsFailed;
    }
  }

  private BatchJob() {}

  /** Runs the job; the exit code is 1 when any batch failed. */
  public static void main(String[] args) {
    int items = option(args, "--items", 1000);
    int batchSize = option(args, "--batch-size", 100);
    int failEvery = option(args, "--fail-every", 0);
    int failBatch = option(args, "--fail-batch", -1);
    Result result;
    try (TelemetryKit telemetry = TelemetryKit.builder()
        .serviceName("invoice-export")       // the Pushgateway's job label
        .metricsServer(false)                // nothing scrapes a job that ends in seconds
        .start()) {
      if (telemetry.settings().get(TelemetryKit.PUSHGATEWAY_URL).isEmpty()) {
        LOG.warn("{} is not set: this run's metrics are not pushed anywhere",
            TelemetryKit.PUSHGATEWAY_URL);
      }
      result = run(telemetry.meters().batchProcessor("invoices"), items, batchSize, failEvery,
          failBatch);
      LOG.info("invoice-export finished: {}", result);
      System.out.println("RESULT " + result);
    }                                        // close() pushes the final values here
    System.exit(result.batchesFailed() > 0 ? 1 : 0);
  }

  /** Processes {@code items} in batches and records every batch. */
  public static Result run(BatchMetrics metrics, int items, int batchSize, int failEvery,
      int failBatch) {
    int batchesOk = 0;
    int batchesFailed = 0;
    int itemsOk = 0;
    int itemsFailed = 0;
    int batchNumber = 0;
    for (int from = 0; from < items; from += batchSize, batchNumber++) {
      List<Integer> batch = new ArrayList<>();
      for (int i = from; i < Math.min(items, from + batchSize); i++) {
        batch.add(i);
      }
      try (BatchMetrics.Batch b = metrics.start(batch.size())) {
        int rejected = export(batch, failEvery, batchNumber == failBatch);
        b.failedItems(rejected);
        b.success();
        batchesOk++;
        itemsOk += batch.size() - rejected;
        itemsFailed += rejected;
      } catch (IllegalStateException e) {
        LOG.error("batch {} failed", batchNumber, e);
        batchesFailed++;
        itemsFailed += batch.size();
      }
    }
    return new Result(batchesOk, batchesFailed, itemsOk, itemsFailed);
  }

  /** The "sink": returns how many items it rejected, or throws for a broken batch. */
  private static int export(List<Integer> batch, int failEvery, boolean broken) {
    if (broken) {
      throw new IllegalStateException("invoice sink unavailable");
    }
    int rejected = 0;
    for (int item : batch) {
      if (failEvery > 0 && item % failEvery == failEvery - 1) {
        rejected++;
      }
    }
    return rejected;
  }

  private static int option(String[] args, String name, int defaultValue) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + " needs a whole number, got '" + args[i + 1] + "'");
        }
      }
    }
    return defaultValue;
  }
}
