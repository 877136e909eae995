package dev.telemetrykit.samples.orders;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's own {@code promcalc.js}, taken from the telemetrykit-core jar on the class
 * path, run under Node: the sample's tests compare its answers with a real Prometheus.
 */
final class PromCalcNode {

  private PromCalcNode() {}

  /**
   * {@code histogramQuantile(q, buckets)} as the dashboard computes it.
   *
   * @param bucketsJson {@code [{"le": 0.1, "count": 3}, ...]}, {@code "+Inf"} for infinity
   */
  static double histogramQuantile(Path dir, double q, String bucketsJson) throws Exception {
    Path lib = dir.resolve("promcalc.js");
    try (InputStream in = PromCalcNode.class.getResourceAsStream(
        "/dev/telemetrykit/core/dashboard/promcalc.js")) {
      if (in == null) {
        throw new AssertionError("promcalc.js is not on the class path (telemetrykit-core)");
      }
      Files.write(lib, in.readAllBytes());
    }
    String script = "const C = require(process.argv[1]);"
        + "const b = JSON.parse(process.argv[2]).map(x => ({le: x.le === '+Inf' ? Infinity : x.le,"
        + " count: x.count}));"
        + "console.log(String(C.histogramQuantile(Number(process.argv[3]), b)));";
    Process p = new ProcessBuilder(List.of("node", "-e", script, lib.toString(), bucketsJson,
        Double.toString(q))).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out;
    try (InputStream o = p.getInputStream()) {
      out = new String(o.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("node failed: " + out);
    }
    return Double.parseDouble(out);
  }
}
