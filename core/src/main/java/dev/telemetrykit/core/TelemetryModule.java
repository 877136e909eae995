package dev.telemetrykit.core;

/**
 * A pluggable part of TelemetryKit (tracing, logging, ...), found with
 * {@link java.util.ServiceLoader} on the class path and started by
 * {@link TelemetryKit#start(String)}.
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.telemetrykit.core.TelemetryModule}
 * and need a public no-argument constructor; every {@code start} gets a fresh instance.
 *
 * <pre>{@code
 * public final class TracingModule implements TelemetryModule {
 *   public String name() { return "tracing"; }
 *   public int order() { return 10; }            // before modules that create spans
 *   public void start(TelemetryKit telemetry) { ... read telemetry.settings(), fail fast ... }
 *   public void close() { ... flush and stop ... }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #start(TelemetryKit)} reads and validates all of the module's settings
 * and throws {@link IllegalArgumentException} for bad ones, so {@code TelemetryKit.start} fails
 * with no half-started state; {@link #close()} is called once, in reverse start order, must
 * flush what the module buffers, and must not throw.
 *
 * @since 0.1.0
 */
public interface TelemetryModule {

  /** A short lower-case name, used in logs and errors, e.g. {@code tracing}. */
  String name();

  /** Modules start in ascending order and close in reverse; ties keep discovery order. */
  default int order() {
    return 100;
  }

  /** Starts the module; may throw to fail {@link TelemetryKit#start(String)}. */
  void start(TelemetryKit telemetry) throws Exception;

  /** Stops the module and flushes what it buffered. Called once; must not throw. */
  void close();
}
