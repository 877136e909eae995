package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java.util.logging arrives as JSON lines on stdout; nothing reaches stderr. */
class JulBridgeTest {

  @TempDir
  Path dir;

  @Test
  void julLinesAreJsonOnStdoutWithServiceAndExporterFailuresAreRateLimited() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(JulMain.class.getName());
    File err = dir.resolve("stderr").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err);
    pb.environment().keySet().removeIf(k -> k.startsWith("TELEMETRYKIT_") || k.startsWith("OTEL_"));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();

    assertThat(Files.readString(dir.resolve("stderr"))).as("stderr").isEmpty();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(JsonLogCapture.MAPPER.readTree(line)); // throws unless every line is JSON
      }
    }
    List<JsonNode> library = lines.stream()
        .filter(l -> l.path("logger").asText().equals("com.example.library")).toList();
    assertThat(library).hasSize(1);
    assertThat(library.get(0).get("message").asText()).isEqualTo("library says hello password=****");
    assertThat(library.get(0).get("service.name").asText()).isEqualTo("jul-svc");
    assertThat(library.get(0).get("level").asText()).isEqualTo("INFO");

    List<JsonNode> exporter = lines.stream()
        .filter(l -> l.path("logger").asText().startsWith("io.opentelemetry")).toList();
    assertThat(exporter).as("50 failures within the interval: one line").hasSize(1);
    assertThat(exporter.get(0).get("level").asText()).isEqualTo("ERROR");
    assertThat(exporter.get(0).get("stack_trace").asText()).contains("ConnectException");
  }

  @Test
  void aWindowAdmitsOneRecordPerIntervalAndReportsHowManyItSuppressed() {
    dev.telemetrykit.logging.internal.JulBridge.Window w =
        new dev.telemetrykit.logging.internal.JulBridge.Window();
    long s = 1_000_000_000L;
    assertThat(w.admit(0, 60 * s)).isZero();
    assertThat(w.admit(1 * s, 60 * s)).isEqualTo(-1);
    assertThat(w.admit(59 * s, 60 * s)).isEqualTo(-1);
    assertThat(w.admit(60 * s, 60 * s)).isEqualTo(2);
    assertThat(w.admit(61 * s, 60 * s)).isEqualTo(-1);
    assertThat(w.admit(200 * s, 60 * s)).isEqualTo(1);
  }
}
