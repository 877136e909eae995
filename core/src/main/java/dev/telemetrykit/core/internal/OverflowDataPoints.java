package dev.telemetrykit.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/** Overflow series that count every recording folded into them. */
public final class OverflowDataPoints {

  private OverflowDataPoints() {}

  /** Wraps a counter's overflow series. */
  public static CounterDataPoint counter(CounterDataPoint other, CounterDataPoint overflows) {
    return new CounterDataPoint() {
      @Override
      public void inc(double amount) {
        other.inc(amount);
        overflows.inc();
      }

      @Override
      public void incWithExemplar(double amount, Labels labels) {
        other.incWithExemplar(amount, labels);
        overflows.inc();
      }

      @Override
      public double get() {
        return other.get();
      }

      @Override
      public long getLongValue() {
        return other.getLongValue();
      }
    };
  }

  /** Wraps a histogram's overflow series. */
  public static DistributionDataPoint distribution(
      DistributionDataPoint other, CounterDataPoint overflows) {
    return new DistributionDataPoint() {
      @Override
      public void observe(double value) {
        other.observe(value);
        overflows.inc();
      }

      @Override
      public void observeWithExemplar(double value, Labels labels) {
        other.observeWithExemplar(value, labels);
        overflows.inc();
      }

      @Override
      public long getCount() {
        return other.getCount();
      }

      @Override
      public double getSum() {
        return other.getSum();
      }
    };
  }

  /** Wraps a gauge's overflow series. */
  public static GaugeDataPoint gauge(GaugeDataPoint other, CounterDataPoint overflows) {
    return new GaugeDataPoint() {
      @Override
      public void inc(double amount) {
        other.inc(amount);
        overflows.inc();
      }

      @Override
      public void incWithExemplar(double amount, Labels labels) {
        other.incWithExemplar(amount, labels);
        overflows.inc();
      }

      @Override
      public void set(double value) {
        other.set(value);
        overflows.inc();
      }

      @Override
      public void setWithExemplar(double value, Labels labels) {
        other.setWithExemplar(value, labels);
        overflows.inc();
      }

      @Override
      public double get() {
        return other.get();
      }
    };
  }
}
