package dev.telemetrykit.samples.monitoring;

import dev.telemetrykit.core.testing.Promtool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared locations and real command-line tools for the monitoring tests. */
final class Tools {

  static final Path DIR = MonitoringQueries.locateMonitoringDir();
  static final Path REPO = DIR.getParent().getParent();
  static final MonitoringQueries QUERIES = MonitoringQueries.load(DIR);

  private Tools() {}

  /** Runs a real tool; a missing tool fails the test with the package that provides it. */
  static Promtool.Result run(String tool, String aptPackage, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable(tool, aptPackage));
    command.addAll(List.of(args));
    return Promtool.run(command, null);
  }

  static Promtool.Result promtool(String... args) {
    return run("promtool", "prometheus", args);
  }

  static Promtool.Result amtool(String... args) {
    return run("amtool", "prometheus-alertmanager", args);
  }

  static String executable(String tool, String aptPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      File f = new File(dir, tool);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError(tool + " is not installed; run: apt-get install -y " + aptPackage
        + " (.ci/run does this)");
  }

  static String read(String relative) {
    try {
      return Files.readString(DIR.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String path(String relative) {
    return DIR.resolve(relative).toString();
  }
}
