package dev.telemetrykit.tracing;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.tracing.internal.ContextExecutorService;
import dev.telemetrykit.tracing.internal.ContextTasks;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Span helpers for code that is not HTTP or JDBC, and an executor wrapper that carries the
 * trace context and the SLF4J MDC into tasks. A thin layer over the OpenTelemetry API: every
 * span is a plain OpenTelemetry {@link Span}, and {@link #tracer()} gives the full API.
 *
 * <pre>{@code
 * Tracing tracing = Tracing.create(telemetry);            // once, after TelemetryKit.start
 *
 * Invoice invoice = tracing.call("render-invoice", () -> {
 *   Span.current().setAttribute("invoice.pages", pages);   // the new span is current here
 *   return renderer.render(order);                         // exceptions: recorded, rethrown
 * });
 *
 * ExecutorService workers = tracing.propagating(Executors.newFixedThreadPool(4));
 * workers.submit(() -> log.info("same trace_id and correlation_id as the submitter"));
 *
 * Span batch = tracing.startSpan("batch-item", parentContext); // explicit parent, e.g. a
 * try (Scope scope = batch.makeCurrent()) {                   // context saved with a message
 *   process(item);
 * } finally {
 *   batch.end();
 * }
 * }</pre>
 *
 * <p><b>Never in the way.</b> A failure inside the helpers (not in your block) is counted in
 * {@code telemetrykit_instrumentation_errors_total{component="tracing"}} and the block runs
 * without a span; the block's own exceptions — checked ones included — are recorded on the
 * span ({@code exception} event, status {@code ERROR}, attribute {@code error.type}) and
 * rethrown unchanged. Ending a span never waits for a collector: the SDK's batch processor
 * queues it (bounded, dropping and counting when full) and exports on its own thread.
 *
 * <p>Instances are immutable and thread-safe; create one and keep it.
 *
 * @since 0.1.0
 */
public final class Tracing {

  /** A block that may throw a checked exception, run inside a span. */
  @FunctionalInterface
  public interface CheckedRunnable<E extends Throwable> {
    /** Runs the block. */
    void run() throws E;
  }

  /** A block returning a value that may throw a checked exception, run inside a span. */
  @FunctionalInterface
  public interface CheckedCallable<T, E extends Throwable> {
    /** Runs the block. */
    T call() throws E;
  }

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;
  private final InstrumentationErrors errors;
  private final ContextTasks tasks;

  private Tracing(Tracer tracer, InstrumentationErrors errors) {
    this.tracer = tracer;
    this.errors = errors;
    this.tasks = new ContextTasks(errors);
  }

  /**
   * Helpers on TelemetryKit's OpenTelemetry: the SDK started by the tracing module, or else the
   * global OpenTelemetry (no-op when none is installed). Create it after {@code start}: a
   * Tracing made before holds a no-op tracer.
   */
  public static Tracing create(TelemetryKit telemetry) {
    Objects.requireNonNull(telemetry, "telemetry");
    OpenTelemetry otel = telemetry.module(TracingModule.class)
        .map(TracingModule::openTelemetry)
        .orElseGet(GlobalOpenTelemetry::getOrNoop);
    return new Tracing(tracerOf(otel), telemetry.instrumentationErrors());
  }

  /**
   * Helpers on any OpenTelemetry (for example an SDK built by hand, or in tests). Failures
   * inside the helpers are then swallowed without being counted.
   */
  public static Tracing create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new Tracing(tracerOf(openTelemetry), null);
  }

  private static Tracer tracerOf(OpenTelemetry otel) {
    String version = Tracing.class.getPackage().getImplementationVersion();
    return version == null
        ? otel.getTracer(TracingMetrics.INSTRUMENTATION_SCOPE)
        : otel.getTracer(TracingMetrics.INSTRUMENTATION_SCOPE, version);
  }

  /** The tracer behind the helpers, scope {@value TracingMetrics#INSTRUMENTATION_SCOPE}. */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * Runs {@code block} inside a new span named {@code spanName}, a child of the current span,
   * current while the block runs and ended after it.
   *
   * @throws E whatever the block throws, unchanged, after recording it on the span
   */
  public <E extends Throwable> void run(String spanName, CheckedRunnable<E> block) throws E {
    Objects.requireNonNull(block, "block");
    Span span = start(spanName, null);
    Scope scope = makeCurrent(span);
    try {
      block.run();
    } catch (Throwable t) {
      fail(span, t);
      throw t;
    } finally {
      end(span, scope);
    }
  }

  /**
   * Calls {@code block} inside a new span named {@code spanName}, as {@link #run}, and returns
   * its value.
   *
   * @throws E whatever the block throws, unchanged, after recording it on the span
   */
  public <T, E extends Throwable> T call(String spanName, CheckedCallable<T, E> block) throws E {
    Objects.requireNonNull(block, "block");
    Span span = start(spanName, null);
    Scope scope = makeCurrent(span);
    try {
      return block.call();
    } catch (Throwable t) {
      fail(span, t);
      throw t;
    } finally {
      end(span, scope);
    }
  }

  /**
   * Starts a span that is a child of the current span. It is not made current; end it
   * yourself ({@code try/finally}).
   */
  public Span startSpan(String spanName) {
    return start(spanName, null);
  }

  /**
   * Starts a span whose parent is taken from {@code parent} (for example a context extracted
   * from a message header or captured on another thread) instead of the current one. It is not
   * made current; end it yourself.
   */
  public Span startSpan(String spanName, Context parent) {
    return start(spanName, Objects.requireNonNull(parent, "parent"));
  }

  /** The full OpenTelemetry span builder (kind, attributes, links), for what the helpers omit. */
  public SpanBuilder spanBuilder(String spanName) {
    return tracer.spanBuilder(Objects.requireNonNull(spanName, "spanName"));
  }

  /**
   * An executor service whose tasks run with the trace context and SLF4J MDC (e.g.
   * {@code correlation_id}) of the thread that submitted them; the worker's own context and MDC
   * are put back after each task. Shutting down the wrapper shuts down {@code executor}.
   */
  public ExecutorService propagating(ExecutorService executor) {
    return new ContextExecutorService(Objects.requireNonNull(executor, "executor"), tasks);
  }

  /** As {@link #propagating(ExecutorService)}, for a plain {@link Executor}. */
  public Executor propagating(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return command -> executor.execute(tasks.wrap(command));
  }

  /** Wraps one task so it runs with the caller's trace context and MDC, wherever it runs. */
  public Runnable propagating(Runnable task) {
    return tasks.wrap(Objects.requireNonNull(task, "task"));
  }

  /** Wraps one task so it runs with the caller's trace context and MDC, wherever it runs. */
  public <T> Callable<T> propagating(Callable<T> task) {
    return tasks.wrap(Objects.requireNonNull(task, "task"));
  }

  private Span start(String spanName, Context parent) {
    Objects.requireNonNull(spanName, "spanName");
    try {
      SpanBuilder builder = tracer.spanBuilder(spanName);
      if (parent != null) {
        builder.setParent(parent);
      }
      return builder.startSpan();
    } catch (RuntimeException e) {
      report(e);
      return Span.getInvalid();
    }
  }

  private Scope makeCurrent(Span span) {
    try {
      return span.makeCurrent();
    } catch (RuntimeException e) {
      report(e);
      return Scope.noop();
    }
  }

  private void fail(Span span, Throwable t) {
    try {
      span.recordException(t);
      span.setAttribute(ERROR_TYPE, t.getClass().getName());
      span.setStatus(StatusCode.ERROR);
    } catch (RuntimeException e) {
      report(e);
    }
  }

  private void end(Span span, Scope scope) {
    try {
      scope.close();
      span.end();
    } catch (RuntimeException e) {
      report(e);
    }
  }

  private void report(RuntimeException e) {
    if (errors != null) {
      errors.record(TracingMetrics.COMPONENT, e);
    }
  }
}
