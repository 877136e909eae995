package dev.telemetrykit.jdbc.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * What is known about one SQL string on one data source, computed once: its operation and
 * collection, the span name, and the success series of the duration histogram and slow counter,
 * bound in advance so that recording a successful execution is one {@code observe}.
 */
final class SqlInfo {

  /** The SQL as given; {@code null} for a batch of different statements. */
  final String sql;
  final String operation;
  /** The collection, or {@code null}. */
  final String collection;
  final String spanName;
  final DistributionDataPoint duration;
  final CounterDataPoint slow;
  /** The recorder (data source) this statement belongs to. */
  final Recorder recorder;
  /** Whether repeats are counted in a unit of work: single statements with SQL, not batches. */
  final boolean repeatable;
  /** Sanitised SQL, computed on first use (spans, slow log); benign race. */
  private String sanitized;
  /** The same statement run as a batch ({@code BATCH INSERT}); created on first use. */
  private SqlInfo batch;
  /** Result-set series, bound on first use; benign race. */
  private DistributionDataPoint rows;
  private DistributionDataPoint fetch;
  /** nanoTime of the last slow-operation WARN line for this statement. */
  volatile long lastSlowLog;
  volatile boolean slowLogged;

  SqlInfo(String sql, String operation, String collection, String spanName,
      DistributionDataPoint duration, CounterDataPoint slow, Recorder recorder) {
    this.sql = sql;
    this.operation = operation;
    this.collection = collection;
    this.spanName = spanName;
    this.duration = duration;
    this.slow = slow;
    this.recorder = recorder;
    this.repeatable = sql != null && !sql.isEmpty() && !operation.startsWith("BATCH");
  }

  /** The SQL with literals replaced by {@code ?}, or {@code null} when there is no one SQL. */
  String sanitized() {
    String s = sanitized;
    if (s == null && sql != null) {
      s = SqlSanitizer.sanitize(sql);
      sanitized = s;
    }
    return s;
  }

  DistributionDataPoint rows() {
    DistributionDataPoint r = rows;
    if (r == null) {
      r = recorder.rowsSeries(this);
      rows = r;
    }
    return r;
  }

  DistributionDataPoint fetch() {
    DistributionDataPoint f = fetch;
    if (f == null) {
      f = recorder.fetchSeries(this);
      fetch = f;
    }
    return f;
  }

  SqlInfo batch(Recorder recorder) {
    SqlInfo b = batch;
    if (b == null) {
      b = recorder.batchOf(this);
      batch = b;
    }
    return b;
  }
}
