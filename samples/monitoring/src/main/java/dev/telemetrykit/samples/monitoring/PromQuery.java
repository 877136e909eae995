package dev.telemetrykit.samples.monitoring;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL expression shipped in {@code samples/monitoring}: an alert rule's {@code expr} or a
 * dashboard panel target's {@code expr}, with where it comes from.
 *
 * <pre>{@code
 * for (PromQuery q : MonitoringQueries.load(dir).all()) {
 *   String promql = q.forPrometheus("1m");   // Grafana variables replaced
 *   List<String> selectors = q.selectors(); // e.g. cache_gets_total{result="hit"}
 * }
 * }</pre>
 */
public final class PromQuery {

  /** Where the expression is used. */
  public enum Kind {
    /** {@code expr} of an alerting rule in {@code prometheus/alerts.yml}. */
    ALERT,
    /** {@code expr} of a target of a Grafana dashboard panel. */
    PANEL
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$(\\{[A-Za-z_][A-Za-z0-9_]*(?::[a-z]+)?}|[A-Za-z_][A-Za-z0-9_]*)");

  private final Kind kind;
  private final String file;
  private final String title;
  private final String expr;

  PromQuery(Kind kind, String file, String title, String expr) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.file = Objects.requireNonNull(file, "file");
    this.title = Objects.requireNonNull(title, "title");
    this.expr = Objects.requireNonNull(expr, "expr").strip();
  }

  public Kind kind() {
    return kind;
  }

  /** File relative to the monitoring folder, e.g. {@code grafana/dashboards/cache.json}. */
  public String file() {
    return file;
  }

  /** Alert name and severity, or dashboard title / panel title / refId. */
  public String title() {
    return title;
  }

  /** The expression exactly as written in the file (with Grafana variables for panels). */
  public String expr() {
    return expr;
  }

  /**
   * The expression as Prometheus's API accepts it: {@code $__rate_interval}, {@code $__interval}
   * and {@code $__range} become {@code rateInterval}; {@code $job}, {@code $instance} (and any
   * other dashboard variable, always used with {@code =~}) become {@code .+}.
   *
   * @throws IllegalArgumentException if a {@code $} variable is left that is not used with
   *     {@code =~} (it would not match anything when replaced by a regex)
   */
  public String forPrometheus(String rateInterval) {
    Objects.requireNonNull(rateInterval, "rateInterval");
    String s = expr.replace("$__rate_interval", rateInterval)
        .replace("$__interval", rateInterval)
        .replace("$__range", rateInterval);
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String before = s.substring(0, m.start());
      if (!before.matches("(?s).*=~\\s*\"[^\"]*")) {
        throw new IllegalArgumentException("variable " + m.group() + " outside a =~ matcher in "
            + title + ": " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(".+"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Vector selectors of {@link #forPrometheus(String) the resolved expression}. */
  public List<String> selectors() {
    return PromQl.selectors(forPrometheus("1m"));
  }

  /** Metric names the expression reads, in order of appearance. */
  public Set<String> metricNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String selector : selectors()) {
      String name = PromQl.metricName(selector);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return kind + " " + file + " " + title + ": " + expr.replaceAll("\\s+", " ");
  }
}
