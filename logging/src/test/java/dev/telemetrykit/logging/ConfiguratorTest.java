package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logback configures itself once per JVM, so each case runs {@link LogOnceMain} in a child JVM
 * with this module's test class path and reads what it printed on stdout.
 */
class ConfiguratorTest {

  private static final String PLAIN_CONFIG = "<configuration>\n"
      + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
      + "    <encoder><pattern>PLAIN %msg%n</pattern></encoder>\n"
      + "  </appender>\n"
      + "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>\n"
      + "</configuration>\n";

  @TempDir
  Path dir;

  private static List<String> run(String extraClassPath, Map<String, String> env,
      String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    String cp = System.getProperty("java.class.path");
    cmd.add(extraClassPath == null ? cp : extraClassPath + File.pathSeparator + cp);
    cmd.addAll(List.of(jvmArgs));
    cmd.add(LogOnceMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("TELEMETRYKIT_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    List<String> lines = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void withoutApplicationConfigurationLogsAreRedactedJsonLinesOnStdout() throws Exception {
    List<String> lines = run(null, Map.of("OTEL_SERVICE_NAME", "child-svc"));
    assertThat(lines).hasSize(1);
    JsonNode line = JsonLogCapture.MAPPER.readTree(lines.get(0));
    assertThat(line.get("message").asText()).isEqualTo("hello password=****");
    assertThat(line.get("password").asText()).isEqualTo("****");
    assertThat(line.get("service.name").asText()).isEqualTo("child-svc");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void yieldsToLogbackXmlOnTheClassPath() throws Exception {
    Files.writeString(dir.resolve("logback.xml"), PLAIN_CONFIG);
    assertThat(run(dir.toString(), Map.of())).containsExactly("PLAIN hello password=pw-child-secret");
  }

  @Test
  void yieldsToLogbackTestXmlOnTheClassPath() throws Exception {
    Files.writeString(dir.resolve("logback-test.xml"), PLAIN_CONFIG);
    assertThat(run(dir.toString(), Map.of())).containsExactly("PLAIN hello password=pw-child-secret");
  }

  @Test
  void yieldsToLogbackConfigurationFileProperty() throws Exception {
    Path file = Files.writeString(dir.resolve("custom.xml"), PLAIN_CONFIG);
    assertThat(run(null, Map.of(), "-Dlogback.configurationFile=" + file))
        .containsExactly("PLAIN hello password=pw-child-secret");
  }

  @Test
  void includeFileGivesTheSameJsonInAnApplicationsOwnConfiguration() throws Exception {
    Path file = Files.writeString(dir.resolve("app.xml"), "<configuration>\n"
        + "  <include resource=\"dev/telemetrykit/logging/json-console-appender.xml\"/>\n"
        + "  <root level=\"INFO\"><appender-ref ref=\"TELEMETRYKIT_JSON_CONSOLE\"/></root>\n"
        + "</configuration>\n");
    List<String> lines = run(null, Map.of(), "-Dlogback.configurationFile=" + file);
    assertThat(lines).hasSize(1);
    JsonNode line = JsonLogCapture.MAPPER.readTree(lines.get(0));
    assertThat(line.get("message").asText()).isEqualTo("hello password=****");
  }

  @Test
  void textFormatIsReadableAndStillRedacted() throws Exception {
    List<String> lines = run(null, Map.of("TELEMETRYKIT_LOG_FORMAT", "text"));
    assertThat(lines).singleElement().asString()
        .contains(" INFO  [main] child - hello password=****")
        .doesNotContain("pw-child-secret").doesNotStartWith("{");
  }

  /** What a child JVM printed, split into non-blank lines, and how it exited. */
  private record ChildRun(int exit, List<String> stdout, String stderr) {}

  private static ChildRun start(Map<String, String> env) throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StartWithLogSettingsMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("TELEMETRYKIT_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    // stderr is small (one line at most); read stdout fully first, then stderr.
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> lines = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return new ChildRun(p.exitValue(), lines, new String(err, StandardCharsets.UTF_8));
  }

  /** Every line a JSON object: no Logback status lines in the middle of the stream. */
  private static void assertOnlyJson(List<String> lines) throws IOException {
    for (String line : lines) {
      assertThat(line).startsWith("{");
      JsonLogCapture.MAPPER.readTree(line);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "TELEMETRYKIT_LOG_FORMAT        | xml     | one of json, text",
      "TELEMETRYKIT_LOG_LEVEL         | loud    | one of trace, debug, info, warn, error, off, all",
      "TELEMETRYKIT_LOG_REDACT_EMAILS | maybe   | true or false",
      "TELEMETRYKIT_LOG_REDACT_PATTERN| ([a-z]  | java.util.regex patterns",
      "TELEMETRYKIT_LOG_REDACT_KEYS   | '-,_'   | comma-separated keys",
  })
  void everyUnusableLogSettingFailsStartNamingItAndStdoutStaysJson(
      String setting, String value, String allowed) throws Exception {
    ChildRun run = start(Map.of(setting, value));
    assertThat(run.exit()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stderr()).contains("START FAILED: Invalid setting " + setting
        + ": value '" + value + "' ");
    if (allowed != null) {
      assertThat(run.stderr()).contains(allowed);
    }
    assertOnlyJson(run.stdout());
    // The fallback is said once, as a JSON line, before start fails.
    assertThat(run.stdout()).anySatisfy(line -> assertThat(line).contains(setting));
    assertThat(run.stdout()).anySatisfy(line -> assertThat(line).contains("before start"));
  }

  @Test
  void goodLogSettingsStartCleanlyWithOnlyJsonOnStdout() throws Exception {
    ChildRun run = start(Map.of("TELEMETRYKIT_LOG_FORMAT", "JSON", "TELEMETRYKIT_LOG_LEVEL", "warn"));
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertOnlyJson(run.stdout());
    assertThat(run.stdout()).noneSatisfy(line -> assertThat(line).contains("before start"));
  }
}
