package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.telemetrykit.core.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, JsonNode> dashboards() throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(Tools.DIR.resolve("grafana/dashboards"))) {
      for (Path f : files.sorted().toList()) {
        out.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
      }
    }
    return out;
  }

  @Test
  void theSixDashboardsShipWithUniqueUids() throws Exception {
    Map<String, JsonNode> d = dashboards();
    assertThat(d.keySet()).containsExactlyInAnyOrder("service-overview.json", "database.json",
        "cache.json", "workloads.json", "jvm.json", "self.json");
    Set<String> uids = new HashSet<>();
    d.values().forEach(j -> uids.add(j.path("uid").asText()));
    assertThat(uids).hasSize(6).allMatch(u -> u.startsWith("telemetrykit-"));
  }

  @Test
  void everyPanelAndTargetUsesTheDatasourceVariable() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : dashboards().entrySet()) {
      JsonNode vars = e.getValue().path("templating").path("list");
      assertThat(vars.get(0).path("name").asText()).isEqualTo("datasource");
      assertThat(vars.get(0).path("type").asText()).isEqualTo("datasource");
      assertThat(vars.get(0).path("query").asText()).isEqualTo("prometheus");
      for (JsonNode panel : e.getValue().path("panels")) {
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        if (!panel.path("datasource").path("uid").asText().equals("${datasource}")) {
          problems.add(e.getKey() + " panel " + panel.path("title").asText());
        }
        if (panel.path("targets").isEmpty()) {
          problems.add(e.getKey() + " panel without query: " + panel.path("title").asText());
        }
        for (JsonNode t : panel.path("targets")) {
          if (!t.path("datasource").path("uid").asText().equals("${datasource}")) {
            problems.add(e.getKey() + " target of " + panel.path("title").asText());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyPanelQueryFiltersByJobAndInstanceVariables() {
    for (PromQuery q : Tools.QUERIES.dashboards()) {
      if (q.expr().contains("scrape_") || q.expr().contains("time()")) {
        assertThat(q.expr()).as(q.title()).contains("job=~\"$job\"");
        continue;
      }
      for (String selector : PromQl.selectors(q.expr().replace("$__rate_interval", "1m"))) {
        assertThat(selector).as(q.title()).contains("job=~\"$job\"", "instance=~\"$instance\"");
      }
    }
  }

  @Test
  void everyExpressionParsesWithPrometheussOwnParser() throws Exception {
    // promtool check rules parses each expr with the real PromQL parser: feed every panel query
    // and alert expression as a recording rule.
    Map<String, Object> rules = new LinkedHashMap<>();
    List<Map<String, String>> list = new ArrayList<>();
    int i = 0;
    for (PromQuery q : Tools.QUERIES.all()) {
      list.add(Map.of("record", "telemetrykit_query_" + i++, "expr", q.forPrometheus("1m")));
    }
    rules.put("groups", List.of(Map.of("name", "queries", "rules", list)));
    Path tmp = Files.createTempFile("queries", ".yml");
    try {
      new ObjectMapper(new YAMLFactory()).writeValue(tmp.toFile(), rules);
      Promtool.Result r = Tools.promtool("check", "rules", tmp.toString());
      assertThat(r.exitCode).as(r.output).isZero();
      assertThat(r.output).contains("SUCCESS: " + list.size() + " rules found");
    } finally {
      Files.delete(tmp);
    }
  }

  @Test
  void queryListCoversEveryDashboardAndEveryAlert() {
    assertThat(Tools.QUERIES.alerts()).hasSize(26);
    Set<String> files = new HashSet<>();
    Tools.QUERIES.dashboards().forEach(q -> files.add(q.file()));
    assertThat(files).hasSize(6);
    assertThat(Tools.QUERIES.dashboards()).hasSizeGreaterThanOrEqualTo(60);
    assertThat(Tools.QUERIES.all()).allSatisfy(q -> assertThat(q.selectors()).as(q.title()).isNotEmpty());
  }

  @Test
  void provisioningPointsGrafanaAtTheDashboardsAndDatasourceUid() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode ds = yaml.readTree(Tools.read("grafana/provisioning/datasources/prometheus.yml"));
    assertThat(ds.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
    assertThat(ds.path("datasources").get(0).path("uid").asText()).isEqualTo("prometheus");
    JsonNode dash = yaml.readTree(Tools.read("grafana/provisioning/dashboards/telemetrykit.yml"));
    String path = dash.path("providers").get(0).path("options").path("path").asText();
    JsonNode compose = yaml.readTree(Tools.read("docker-compose.yml"));
    List<String> volumes = new ArrayList<>();
    compose.path("services").path("grafana").path("volumes").forEach(v -> volumes.add(v.asText()));
    assertThat(volumes).contains("./grafana/dashboards:" + path + ":ro");
  }
}
