package dev.telemetrykit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Reads samples out of a Prometheus text scrape by name and label matchers, in any order. */
final class Metrics {

  private Metrics() {}

  /** Lines of series {@code name} whose labels include every {@code label="value"} given. */
  static List<String> series(String scrape, String name, String... labelPairs) {
    List<String> out = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String pair : labelPairs) {
        int eq = pair.indexOf('=');
        String want = pair.substring(0, eq) + "=\"" + pair.substring(eq + 1) + "\"";
        if (!line.contains("{" + want + ",") && !line.contains("," + want + ",")
            && !line.contains("," + want + "}") && !line.contains("{" + want + "}")) {
          all = false;
          break;
        }
      }
      if (all) {
        out.add(line);
      }
    }
    return out;
  }

  /** Sum of the values of the matching series (0 when none match). */
  static double sum(String scrape, String name, String... labelPairs) {
    double total = 0;
    for (String line : series(scrape, name, labelPairs)) {
      String value = line.substring(line.lastIndexOf(' ') + 1);
      total += Double.parseDouble(value);
    }
    return total;
  }

  /** Waits (at most 20 s) until the condition holds; the work under test runs on other threads. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Condition not reached within 20 s: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
