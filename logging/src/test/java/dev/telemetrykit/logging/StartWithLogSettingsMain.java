package dev.telemetrykit.logging;

import dev.telemetrykit.core.TelemetryKit;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM by {@link ConfiguratorTest}: logs one line, then starts TelemetryKit with
 * the child's environment. Exit 3 and the exception's message on stderr when {@code start}
 * refuses the settings; exit 0 after a clean start and close.
 */
public final class StartWithLogSettingsMain {
  private StartWithLogSettingsMain() {}

  public static void main(String[] args) {
    LoggerFactory.getLogger("child").info("before start");
    try (TelemetryKit telemetry = TelemetryKit.builder().serviceName("child-svc").metricsPort(0)
        .shutdownHook(false).start()) {
      LoggerFactory.getLogger("child").info("started");
    } catch (IllegalArgumentException e) {
      System.err.println("START FAILED: " + e.getMessage());
      System.exit(3);
    }
  }
}
