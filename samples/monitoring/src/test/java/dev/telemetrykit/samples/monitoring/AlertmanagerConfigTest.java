package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.telemetrykit.core.testing.Promtool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertmanagerConfigTest {

  private static final String CONFIG = "alertmanager/alertmanager.yml";

  @Test
  void configPassesAmtoolCheckConfig() {
    Promtool.Result r = Tools.amtool("check-config", Tools.path(CONFIG));
    assertThat(r.exitCode).as(r.output).isZero();
    assertThat(r.output).contains("SUCCESS").contains("1 inhibit rules").contains("2 receivers");
  }

  @Test
  void criticalAlertsPageAndWarningsGoToTeamChat() {
    assertThat(route("severity=critical", "alertname=ServiceDown", "service=orders-service")).isEqualTo("page");
    assertThat(route("severity=warning", "alertname=CacheLowHitRatio", "service=orders-service")).isEqualTo("team-chat");
    assertThat(route("alertname=SomethingUnlabelled")).isEqualTo("team-chat");
  }

  @Test
  void everySeverityUsedByTheRulesHasARoute() {
    for (PromQuery q : Tools.QUERIES.alerts()) {
      String severity = q.title().replaceAll(".*\\((\\w+)\\)$", "$1");
      assertThat(route("severity=" + severity, "alertname=" + q.title().split(" ")[0]))
          .as(q.title()).isEqualTo(severity.equals("critical") ? "page" : "team-chat");
    }
  }

  @Test
  void warningsAreInhibitedByACriticalOfTheSameAlertServiceAndComponent() throws Exception {
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Tools.read(CONFIG));
    JsonNode rules = config.path("inhibit_rules");
    assertThat(rules).hasSize(1);
    JsonNode rule = rules.get(0);
    assertThat(rule.path("source_matchers").get(0).asText()).isEqualTo("severity=\"critical\"");
    assertThat(rule.path("target_matchers").get(0).asText()).isEqualTo("severity=\"warning\"");
    List<String> equal = new ArrayList<>();
    rule.path("equal").forEach(n -> equal.add(n.asText()));
    assertThat(equal).contains("alertname", "service", "instance",
        "db_client_connection_pool_name", "processor");
  }

  private static String route(String... labels) {
    List<String> args = new ArrayList<>(List.of("config", "routes", "test",
        "--config.file=" + Tools.path(CONFIG)));
    args.addAll(List.of(labels));
    Promtool.Result r = Tools.amtool(args.toArray(String[]::new));
    assertThat(r.exitCode).as(r.output).isZero();
    // amtool also warns that --config.file overrides --alertmanager.url; the rest is the receiver.
    List<String> lines = r.output.lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("Warning:")).toList();
    assertThat(lines).as(r.output).hasSize(1);
    return lines.get(0);
  }
}
