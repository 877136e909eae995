package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.LoggerContextListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} into SLF4J, so the OpenTelemetry SDK's (and every other
 * library's) JUL output becomes JSON lines with service and trace fields, redacted, on stdout
 * instead of multi-line plain text on stderr. Logback's {@link LevelChangePropagator} copies
 * Logback levels to JUL, so a disabled JUL call costs a level check, not a {@link LogRecord}.
 *
 * <p>Warnings and errors of {@code io.opentelemetry.*} loggers (exporter failures, repeated
 * every batch while a collector is down) are rate-limited per logger: the first is written, the
 * following ones within the interval are counted, and the next one after it carries the count.
 */
public final class JulBridge extends SLF4JBridgeHandler {

  /** Default interval between two warnings of one {@code io.opentelemetry} logger. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  private static final String LIMITED_PREFIX = "io.opentelemetry";
  private static volatile long intervalNanos = DEFAULT_INTERVAL.toNanos();

  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  JulBridge(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Installs the bridge on JUL's root logger (removing its console handler, which writes to
   * stderr) and the level propagator on {@code context}; does nothing for a part already there.
   * Never throws.
   */
  public static synchronized void install(LoggerContext context) {
    try {
      if (!SLF4JBridgeHandler.isInstalled()) {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
          root.removeHandler(h);
        }
        root.addHandler(new JulBridge(System::nanoTime));
      }
      if (context != null) {
        for (LoggerContextListener l : context.getCopyOfListenerList()) {
          if (l instanceof LevelChangePropagator) {
            return;
          }
        }
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();
      }
    } catch (RuntimeException | LinkageError e) {
      // JUL stays as it was; logging must never fail the application.
    }
  }

  /** Sets the rate-limit interval for {@code io.opentelemetry} warnings. */
  public static void interval(Duration interval) {
    intervalNanos = interval.toNanos();
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    String name = record.getLoggerName();
    if (name == null || !name.startsWith(LIMITED_PREFIX)
        || record.getLevel().intValue() < Level.WARNING.intValue()) {
      super.publish(record);
      return;
    }
    long suppressed = windows.computeIfAbsent(name, k -> new Window())
        .admit(clock.getAsLong(), intervalNanos);
    if (suppressed < 0) {
      return;
    }
    if (suppressed > 0) {
      // The message may be a format with {0} parameters; appending keeps them intact.
      record.setMessage(record.getMessage() + " (" + suppressed + " more like this since the"
          + " last report were not logged; this logger reports at most once per "
          + Duration.ofNanos(intervalNanos).toSeconds() + " s)");
    }
    super.publish(record);
  }

  /** One logger's rate-limit state; public for tests. */
  public static final class Window {
    private final AtomicLong suppressed = new AtomicLong();
    private long last;
    private boolean started;

    /** Returns the number suppressed since the last admitted record, or -1 to suppress. */
    public synchronized long admit(long now, long interval) {
      if (!started || now - last >= interval) {
        started = true;
        last = now;
        return suppressed.getAndSet(0);
      }
      suppressed.incrementAndGet();
      return -1;
    }
  }
}
