package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.telemetrykit.core.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/SCALING.md's configurations are real: every yaml block marked
 * {@code # promtool check config [--agent]} passes the real promtool, and the block marked
 * {@code # otel-collector} is parsed and its pipelines cross-checked (no Collector binary is
 * available to validate it further).
 */
class ScalingGuideTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

  private record Block(String marker, String text) {}

  private static List<Block> blocks() throws Exception {
    String guide = Files.readString(Tools.REPO.resolve("docs/SCALING.md"));
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(guide);
    while (m.find()) {
      String text = m.group(1);
      out.add(new Block(text.substring(0, text.indexOf('\n')).trim(), text));
    }
    return out;
  }

  @Test
  void everyPrometheusConfigPassesPromtoolCheckConfig(@TempDir Path dir) throws Exception {
    // rule_files resolve next to the config: the sample's real alert rules are put there.
    Files.writeString(dir.resolve("alerts.yml"), Tools.read("prometheus/alerts.yml"));
    int checked = 0;
    int agent = 0;
    for (Block b : blocks()) {
      assertThat(b.marker()).as("first line of every yaml block in SCALING.md")
          .isIn("# promtool check config", "# promtool check config --agent", "# otel-collector");
      if (!b.marker().startsWith("# promtool")) {
        continue;
      }
      Path file = dir.resolve("prometheus-" + checked + ".yml");
      Files.writeString(file, b.text());
      List<String> args = new ArrayList<>(List.of("check", "config"));
      if (b.marker().endsWith("--agent")) {
        args.add("--agent");
        agent++;
      }
      args.add(file.toString());
      Promtool.Result r = Tools.promtool(args.toArray(new String[0]));
      assertThat(r.exitCode).as(b.text() + "\n" + r.output).isZero();
      assertThat(r.output).contains("SUCCESS").doesNotContain("FAILED");
      checked++;
    }
    // Single process, file SD, DNS + EC2 SD, federation, agent + remote write, Pushgateway.
    assertThat(checked).isEqualTo(6);
    assertThat(agent).isEqualTo(1);
  }

  @Test
  void promtoolRejectsABrokenCopy(@TempDir Path dir) throws Exception {
    // The check bites: the same block with a misspelt key fails.
    Block first = blocks().get(0);
    Path file = dir.resolve("broken.yml");
    Files.writeString(file, first.text().replace("static_configs:", "static_config:"));
    Promtool.Result r = Tools.promtool("check", "config", file.toString());
    assertThat(r.exitCode).as(r.output).isNotZero();
  }

  @Test
  void collectorConfigParsesAndItsPipelinesUseExactlyTheDefinedComponents() throws Exception {
    List<Block> collectors = new ArrayList<>();
    for (Block b : blocks()) {
      if (b.marker().equals("# otel-collector")) {
        collectors.add(b);
      }
    }
    assertThat(collectors).hasSize(1);
    JsonNode c = YAML.readTree(collectors.get(0).text());
    JsonNode pipelines = c.path("service").path("pipelines");
    assertThat(pipelines.isObject()).isTrue();

    List<String> problems = new ArrayList<>();
    for (String kind : List.of("receivers", "processors", "exporters")) {
      Set<String> defined = names(c.path(kind));
      Set<String> used = new LinkedHashSet<>();
      for (Iterator<String> it = pipelines.fieldNames(); it.hasNext(); ) {
        String pipeline = it.next();
        if (!Set.of("metrics", "traces", "logs").contains(pipeline.split("/")[0])) {
          problems.add("unknown pipeline type " + pipeline);
        }
        for (JsonNode n : pipelines.path(pipeline).path(kind)) {
          used.add(n.asText());
          if (!defined.contains(n.asText())) {
            problems.add(pipeline + " uses undefined " + kind + " " + n.asText());
          }
        }
      }
      for (String d : defined) {
        if (!used.contains(d)) {
          problems.add(kind + " " + d + " is defined but in no pipeline");
        }
      }
    }
    assertThat(problems).isEmpty();

    JsonNode metrics = pipelines.path("metrics");
    assertThat(texts(metrics.path("receivers"))).containsExactly("otlp");
    assertThat(texts(metrics.path("exporters"))).containsExactly("prometheusremotewrite");
    // The Collector's own advice: memory_limiter first, batch last.
    for (String p : List.of("metrics", "traces")) {
      List<String> processors = texts(pipelines.path(p).path("processors"));
      assertThat(processors.get(0)).isEqualTo("memory_limiter");
      assertThat(processors.get(processors.size() - 1)).isEqualTo("batch");
    }
    assertThat(c.path("exporters").path("prometheusremotewrite").path("endpoint").asText())
        .endsWith("/api/v1/write");

    // The process settings in the guide point at the receiver's http/protobuf port, which is
    // TelemetryKit's default OTLP protocol.
    String guide = Files.readString(Tools.REPO.resolve("docs/SCALING.md"));
    Matcher endpoint = Pattern.compile("OTEL_EXPORTER_OTLP_ENDPOINT=http://[^:]+:(\\d+)")
        .matcher(guide);
    assertThat(endpoint.find()).isTrue();
    String http = c.path("receivers").path("otlp").path("protocols").path("http")
        .path("endpoint").asText();
    assertThat(http).endsWith(":" + endpoint.group(1));
    assertThat(guide).contains("OTEL_METRICS_EXPORTER=otlp");
  }

  private static Set<String> names(JsonNode section) {
    Set<String> out = new LinkedHashSet<>();
    section.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
