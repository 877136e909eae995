package dev.telemetrykit.logging;

import dev.telemetrykit.core.TelemetryKit;
import java.net.ConnectException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Run in a child JVM by {@link JulBridgeTest}: logs through java.util.logging, then exits. */
public final class JulMain {
  private JulMain() {}

  public static void main(String[] args) {
    try (TelemetryKit kit = TelemetryKit.builder().serviceName("jul-svc").metricsServer(false)
        .shutdownHook(false).jvmMetrics(false).start()) {
      Logger library = Logger.getLogger("com.example.library");
      library.info("library says hello password=hunter2");
      library.fine("not enabled: Logback's root level is INFO");
      // What the OpenTelemetry SDK writes for every failed batch while the collector is down.
      Logger exporter = Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter");
      for (int i = 0; i < 50; i++) {
        exporter.log(Level.SEVERE, "Failed to export spans. The request could not be executed."
            + " Full error message: Failed to connect to /127.0.0.1:4318",
            new ConnectException("Failed to connect to /127.0.0.1:4318"));
      }
    }
  }
}
