package dev.telemetrykit.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.TelemetryModule;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.logging.internal.JulBridge;
import dev.telemetrykit.logging.internal.LoggingState;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.logging.internal.TelemetryLogbackConfigurator;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import org.slf4j.LoggerFactory;

/**
 * The logging part of {@code TelemetryKit.start}, found by {@link java.util.ServiceLoader}.
 * It reads and validates the redaction settings (an invalid {@code TELEMETRYKIT_LOG_REDACT_PATTERN}
 * fails {@code start} with a message naming the setting), writes the service name into every
 * JSON line, counts {@code logback_events_total{level}} (redactions are counted by core in
 * {@code telemetrykit_redactions_total{signal="log",rule}}), and on close stops counting and flushes the
 * console and file appenders (waiting briefly for async appenders to drain).
 *
 * <pre>{@code
 * try (TelemetryKit telemetry = TelemetryKit.start("orders-service")) {   // starts this module
 *   ...
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class LoggingModule implements TelemetryModule {

  /** How long {@link #close()} waits for an async appender's queue to drain. */
  static final long DRAIN_MILLIS = 1000;

  private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error"};

  private LoggerContext context;
  private Redactor redactor;

  /** For {@link java.util.ServiceLoader}. */
  public LoggingModule() {}

  @Override
  public String name() {
    return "logging";
  }

  /** After tracing (which starts at 10), so spans exist before the first line is written. */
  @Override
  public int order() {
    return 20;
  }

  @Override
  public void start(TelemetryKit telemetry) {
    LoggingState.apply(telemetry.settings()); // throws, naming the setting, when one is invalid
    LoggingState.serviceName(telemetry.serviceName());

    // Findings count in core's telemetrykit_redactions_total{signal="log"} (the engine is
    // shared with metric labels and spans); the log series exist at 0 from the start.
    LoggingState.redactor(telemetry.redactor());
    redactor = LoggingState.redactor();
    redactor.declareSeries();

    GuardedCounter events = telemetry.meters().counter(TelemetryLogging.EVENTS_METRIC)
        .help("Log events by level").labelNames(TelemetryLogging.LEVEL_LABEL).register();
    CounterDataPoint[] levelCounts = new CounterDataPoint[LEVELS.length];
    for (int i = 0; i < LEVELS.length; i++) {
      levelCounts[i] = events.labelValues(LEVELS[i]);
    }
    LoggingState.eventCounts(levelCounts);

    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      context = (LoggerContext) LoggerFactory.getILoggerFactory();
      TelemetryLogbackConfigurator.installTurboFilter(context);
      // java.util.logging (the OpenTelemetry SDK's exporter failures among it) into the JSON
      // stream; it stays installed after close, so late SDK shutdown lines are JSON too.
      JulBridge.install(context);
    }
  }

  @Override
  public void close() {
    LoggingState.eventCounts(null);
    if (context != null) {
      try {
        flush(context);
      } catch (RuntimeException ignored) {
        // close must not throw
      }
    }
  }

  /** Flushes every output-stream appender, after letting async appenders drain (bounded). */
  static void flush(LoggerContext context) {
    Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Logger logger : context.getLoggerList()) {
      flush(logger, seen);
    }
  }

  private static void flush(AppenderAttachable<ILoggingEvent> parent,
      Set<Appender<ILoggingEvent>> seen) {
    for (Iterator<Appender<ILoggingEvent>> it = parent.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (!seen.add(appender)) {
        continue;
      }
      if (appender instanceof AsyncAppenderBase) {
        AsyncAppenderBase<ILoggingEvent> async = (AsyncAppenderBase<ILoggingEvent>) appender;
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (async.isStarted() && async.getNumberOfElementsInQueue() > 0
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
          Thread.yield();
        }
        flush(async, seen);
      } else if (appender instanceof OutputStreamAppender) {
        OutputStream out = ((OutputStreamAppender<ILoggingEvent>) appender).getOutputStream();
        if (out != null) {
          try {
            out.flush();
          } catch (IOException ignored) {
            // nothing more to do at close
          }
        }
      }
    }
  }
}
