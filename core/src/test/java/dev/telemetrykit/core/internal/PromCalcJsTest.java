package dev.telemetrykit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.testing.Promtool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's quantile and rate arithmetic ({@code promcalc.js}) under Node, against
 * hand-worked bucket data and against Prometheus's own PromQL engine ({@code promtool test
 * rules}) on the same series.
 */
class PromCalcJsTest {

  private static final Path PROMCALC =
      Path.of("src/main/resources/dev/telemetrykit/core/dashboard/promcalc.js").toAbsolutePath();
  private static final Path TESTS = Path.of("src/test/js/promcalc.test.js").toAbsolutePath();

  @Test
  void quantilesAndRatesMatchHandWorkedBucketData() {
    Run run = node(TESTS.toString(), PROMCALC.toString());
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).contains("tests passed");
  }

  @Test
  void histogramQuantileAgreesWithPromql(@TempDir Path dir) throws IOException {
    Run generated = node(TESTS.toString(), PROMCALC.toString(), "--promtool-test");
    assertThat(generated.exitCode).as(generated.output).isZero();
    assertThat(generated.output).contains("histogram_quantile(0.95, x_bucket - x_bucket offset 1m)");
    Path file = dir.resolve("quantiles.test.yml");
    Files.writeString(file, generated.output);

    Promtool.Result result = Promtool.run(List.of(Promtool.executable(), "test", "rules",
        file.toString()), null);
    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output).contains("SUCCESS");

    // The check has teeth: one expected value nudged off PromQL's answer fails promtool.
    Files.writeString(file, generated.output.replaceFirst("value: (\\S+)", "value: 0.123456"));
    Promtool.Result nudged = Promtool.run(List.of(Promtool.executable(), "test", "rules",
        file.toString()), null);
    assertThat(nudged.exitCode).as(nudged.output).isNotZero();
  }

  private static final class Run {
    final int exitCode;
    final String output;

    Run(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  private static Run node(String... args) {
    List<String> command = new ArrayList<>();
    command.add(nodeExecutable());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node did not finish within 60 s");
      }
      return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Node.js (Debian package {@code nodejs}, installed by {@code .ci/run}); missing fails. */
  private static String nodeExecutable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      java.io.File f = new java.io.File(dir, "node");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError("node is not installed; run: apt-get install -y nodejs"
        + " (.ci/run does this)");
  }
}
