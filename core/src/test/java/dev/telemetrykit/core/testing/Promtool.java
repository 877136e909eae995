package dev.telemetrykit.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool} (Debian package {@code prometheus}, installed by
 * {@code .ci/run}). A missing promtool fails the test: CI must run it, never skip it.
 */
public final class Promtool {

  private Promtool() {}

  /** Result of one promtool run. */
  public static final class Result {
    public final int exitCode;
    public final String output;

    Result(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + ": " + output;
    }
  }

  /** {@code promtool check metrics} with the scrape on stdin. */
  public static Result checkMetrics(String scrape) {
    return run(List.of(executable(), "check", "metrics"), scrape);
  }

  /** Runs promtool with arguments, e.g. {@code check rules file.yml}. */
  public static Result run(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream o = p.getInputStream()) {
        o.transferTo(out);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool did not finish within 120 s");
      }
      return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Path of promtool; fails with an install hint when it is missing. */
  public static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      java.io.File f = new java.io.File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError("promtool is not installed; run: apt-get install -y prometheus"
        + " (.ci/run does this)");
  }
}
