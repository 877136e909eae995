package dev.telemetrykit.core.internal;

import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

/**
 * Counts findings in {@code telemetrykit_redactions_total{signal,rule}}. Data points are bound
 * on first use and cached, so a finding costs one array read and an increment; a race binds
 * the same client_java data point twice, which is harmless.
 */
public final class RedactionCounts implements Redactor.Counts {

  private static final RedactionRule[] RULES = RedactionRule.values();

  private final Counter counter;
  private final CounterDataPoint[][] points =
      new CounterDataPoint[Signal.values().length][RULES.length];

  /** @param counter the {@code telemetrykit_redactions_total} counter, labels signal and rule */
  public RedactionCounts(Counter counter) {
    this.counter = counter;
  }

  @Override
  public void count(Signal signal, RedactionRule rule) {
    point(signal, rule).inc();
  }

  @Override
  public void declare(Signal signal) {
    for (RedactionRule rule : RULES) {
      point(signal, rule);
    }
  }

  private CounterDataPoint point(Signal signal, RedactionRule rule) {
    CounterDataPoint p = points[signal.ordinal()][rule.ordinal()];
    if (p == null) {
      p = counter.labelValues(signal.label(), rule.label());
      points[signal.ordinal()][rule.ordinal()] = p;
    }
    return p;
  }
}
