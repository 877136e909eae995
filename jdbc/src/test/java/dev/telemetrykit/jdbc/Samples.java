package dev.telemetrykit.jdbc;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: a TelemetryKit for one test, and sample lookup by labels in a text scrape. */
final class Samples {

  private Samples() {}

  /** A TelemetryKit on a free port with its own registry and no shutdown hook; close it. */
  static TelemetryKit startTelemetry(String... settings) {
    TelemetryKit.Builder builder = TelemetryKit.builder().serviceName("jdbc-test").metricsPort(0)
        .shutdownHook(false).jvmMetrics(false).registry(new PrometheusRegistry()).modules();
    for (int i = 0; i < settings.length; i += 2) {
      builder.setting(settings[i], settings[i + 1]);
    }
    return builder.start();
  }

  /** A text scrape over real loopback HTTP. */
  static String scrape(TelemetryKit telemetry) {
    return Scrapes.text(telemetry.metricsPort());
  }

  /**
   * The value of the one sample {@code name{...}} having all these label pairs (others may be
   * present), or 0 if there is none; fails if several match.
   */
  static double value(String scrape, String name, String... labelPairs) {
    List<String> found = lines(scrape, name, labelPairs);
    if (found.size() > 1) {
      throw new AssertionError("Several samples of " + name + " match " + List.of(labelPairs)
          + ": " + found);
    }
    if (found.isEmpty()) {
      return 0;
    }
    String line = found.get(0);
    String rest = line.substring(line.lastIndexOf('}') + 1).trim();
    int space = rest.indexOf(' ');
    return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
  }

  /** Lines of samples {@code name{...}} having all these label pairs. */
  static List<String> lines(String scrape, String name, String... labelPairs) {
    List<String> found = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String labels = line.substring(name.length(), line.lastIndexOf('}') + 1);
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        String pair = labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"";
        if (!labels.contains("{" + pair) && !labels.contains("," + pair)) {
          all = false;
          break;
        }
      }
      if (all) {
        found.add(line);
      }
    }
    return found;
  }
}
