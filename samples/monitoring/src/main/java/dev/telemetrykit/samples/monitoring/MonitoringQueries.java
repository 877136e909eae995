package dev.telemetrykit.samples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every PromQL expression the shipped monitoring uses: the alert rules of
 * {@code prometheus/alerts.yml} and every panel target of {@code grafana/dashboards/*.json}. An
 * end-to-end test runs each against a real Prometheus scraping a sample, which proves the
 * dashboards and alerts speak the names the library emits.
 *
 * <pre>{@code
 * MonitoringQueries queries = MonitoringQueries.load(MonitoringQueries.locateMonitoringDir());
 * for (PromQuery q : queries.dashboards()) {
 *   String promql = q.forPrometheus("1m");   // query it: it must return a series
 * }
 * for (PromQuery q : queries.alerts()) {
 *   q.selectors();                           // each must match series (alerts need not fire)
 * }
 * }</pre>
 *
 * <p>From a shell: {@code java -cp ... dev.telemetrykit.samples.monitoring.MonitoringQueries}
 * prints one tab-separated line per expression (kind, file, title, PromQL on one line).
 */
public final class MonitoringQueries {

  /** System property naming the monitoring folder, for tests run from another module. */
  public static final String DIR_PROPERTY = "telemetrykit.monitoring.dir";

  static final String ALERTS = "prometheus/alerts.yml";
  static final String DASHBOARDS = "grafana/dashboards";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final List<PromQuery> alerts;
  private final List<PromQuery> dashboards;

  private MonitoringQueries(Path dir, List<PromQuery> alerts, List<PromQuery> dashboards) {
    this.dir = dir;
    this.alerts = Collections.unmodifiableList(alerts);
    this.dashboards = Collections.unmodifiableList(dashboards);
  }

  /** Reads the alert rules and dashboards below {@code monitoringDir}. */
  public static MonitoringQueries load(Path monitoringDir) {
    Objects.requireNonNull(monitoringDir, "monitoringDir");
    try {
      return new MonitoringQueries(monitoringDir, readAlerts(monitoringDir), readDashboards(monitoringDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code samples/monitoring} folder: the system property {@value #DIR_PROPERTY} if set,
   * else found from the working directory upwards (works from any module of the reactor).
   */
  public static Path locateMonitoringDir() {
    String property = System.getProperty(DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Paths.get(property).toAbsolutePath().normalize();
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate : List.of(p, p.resolve("samples/monitoring"), p.resolve("monitoring"))) {
        if (Files.isRegularFile(candidate.resolve(ALERTS))
            && Files.isDirectory(candidate.resolve(DASHBOARDS))) {
          return candidate.normalize();
        }
      }
    }
    throw new IllegalStateException("samples/monitoring not found above "
        + Paths.get("").toAbsolutePath() + "; set -D" + DIR_PROPERTY);
  }

  /** The folder the files were read from. */
  public Path dir() {
    return dir;
  }

  /** One entry per alerting rule (an alert with two severities is two rules). */
  public List<PromQuery> alerts() {
    return alerts;
  }

  /** One entry per target of every panel of every dashboard. */
  public List<PromQuery> dashboards() {
    return dashboards;
  }

  /** Alerts, then dashboards. */
  public List<PromQuery> all() {
    List<PromQuery> all = new ArrayList<>(alerts);
    all.addAll(dashboards);
    return all;
  }

  private static List<PromQuery> readAlerts(Path dir) throws IOException {
    List<PromQuery> out = new ArrayList<>();
    JsonNode root = YAML.readTree(dir.resolve(ALERTS).toFile());
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.hasNonNull("alert")) {
          String severity = rule.path("labels").path("severity").asText("");
          out.add(new PromQuery(PromQuery.Kind.ALERT, ALERTS,
              rule.get("alert").asText() + (severity.isEmpty() ? "" : " (" + severity + ")"),
              rule.path("expr").asText()));
        }
      }
    }
    return out;
  }

  private static List<PromQuery> readDashboards(Path dir) throws IOException {
    List<PromQuery> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve(DASHBOARDS))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path file : files) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      String rel = DASHBOARDS + "/" + file.getFileName();
      addPanels(out, rel, dashboard.path("title").asText(), dashboard.path("panels"));
    }
    return out;
  }

  private static void addPanels(List<PromQuery> out, String file, String dashboard, JsonNode panels) {
    for (JsonNode panel : panels) {
      addPanels(out, file, dashboard, panel.path("panels")); // panels of collapsed rows
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          out.add(new PromQuery(PromQuery.Kind.PANEL, file,
              dashboard + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
              target.get("expr").asText()));
        }
      }
    }
  }

  /**
   * Metrics a Prometheus Pushgateway adds to every pushed group: a scraped service never has
   * them, so {@link #problemsAgainst} skips alert selectors of these.
   */
  public static final java.util.Set<String> PUSHGATEWAY_METRICS =
      java.util.Set.of("push_time_seconds", "push_failure_time_seconds");

  /**
   * Runs every query against {@code prometheus} and returns what failed (empty when all pass):
   * every dashboard query must return at least one series, and every selector of every alert
   * expression must match at least one series (the alerts themselves need not fire).
   *
   * @param rateInterval what {@code $__rate_interval} becomes, e.g. {@code "1m"}; Prometheus
   *     must have scraped at least two samples within it
   */
  public List<String> problemsAgainst(PrometheusServer prometheus, String rateInterval) {
    Objects.requireNonNull(prometheus, "prometheus");
    List<String> problems = new ArrayList<>();
    for (PromQuery q : dashboards) {
      String promql = q.forPrometheus(rateInterval);
      if (prometheus.seriesCount(promql) == 0) {
        problems.add("no series: " + q.file() + " " + q.title() + ": " + promql.replaceAll("\\s+", " "));
      }
    }
    for (PromQuery q : alerts) {
      for (String selector : q.selectors()) {
        if (PUSHGATEWAY_METRICS.contains(selector.replaceAll("[{\\[].*", "").trim())) {
          continue;   // only a Pushgateway has them; samples/batch-job checks those
        }
        if (prometheus.seriesCount(selector) == 0) {
          problems.add("no series for selector " + selector + " of alert " + q.title());
        }
      }
    }
    return problems;
  }

  /** Prints every expression, tab-separated: kind, file, title, PromQL for Prometheus. */
  public static void main(String[] args) {
    Path dir = args.length > 0 ? Paths.get(args[0]) : locateMonitoringDir();
    for (PromQuery q : load(dir).all()) {
      System.out.println(q.kind() + "\t" + q.file() + "\t" + q.title() + "\t"
          + q.forPrometheus("1m").replaceAll("\\s+", " "));
    }
  }
}
