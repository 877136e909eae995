package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard query and alert selector, run through a real Prometheus that scrapes a
 * loopback target exposing one series per selector (labels chosen to satisfy its matchers,
 * plus one value per component label). This proves the queries evaluate and that their
 * joins and aggregations return series when the names of CONVENTIONS.md are present; the
 * end-to-end test of the orders-service sample proves the library emits those names.
 */
class QueriesAgainstRealPrometheusTest {

  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One value per component label, the same on every series so divisions and `and` join. */
  private static final Map<String, String> COMMON = new LinkedHashMap<>();

  static {
    COMMON.put("http_route", "/orders/{id}");
    COMMON.put("http_request_method", "GET");
    COMMON.put("url_scheme", "http");
    COMMON.put("server_address", "127.0.0.1");
    COMMON.put("server_port", "8080");
    COMMON.put("db_client_connection_pool_name", "orders-db");
    COMMON.put("db_operation_name", "SELECT");
    COMMON.put("db_collection_name", "orders");
    COMMON.put("cache", "orders");
    COMMON.put("processor", "outbox");
    COMMON.put("executor", "payments");
    COMMON.put("limiter", "orders-api");
  }

  @Test
  void everyDashboardQueryAndAlertSelectorReturnsSeriesFromARealPrometheus() throws Exception {
    String exposition = exposition();
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", exchange -> {
      byte[] body = exposition.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.start();
    try (PrometheusServer prometheus = PrometheusServer.start(target.getAddress().getPort(), "orders-service")) {
      // rate() over [1m] needs two samples; wait for three scrapes (1 s apart).
      prometheus.awaitSeries("count_over_time(up{job=\"orders-service\"}[1m]) >= 3", Duration.ofSeconds(60));
      assertThat(prometheus.seriesCount("up{job=\"orders-service\"} == 1")).isEqualTo(1);
      assertThat(Tools.QUERIES.problemsAgainst(prometheus, "1m")).isEmpty();
    } finally {
      target.stop(0);
    }
  }

  /** One sample line per distinct selector of every query (buckets for _bucket selectors). */
  private static String exposition() {
    TreeSet<String> lines = new TreeSet<>();
    for (PromQuery q : Tools.QUERIES.all()) {
      for (String selector : q.selectors()) {
        String name = PromQl.metricName(selector);
        if (name.equals("up") || name.startsWith("scrape_")) {
          continue; // Prometheus adds these itself
        }
        Map<String, String> labels = new LinkedHashMap<>(COMMON);
        Matcher m = MATCHER.matcher(selector);
        while (m.find()) {
          String label = m.group(1);
          String op = m.group(2);
          String value = m.group(3);
          if (label.equals("job") || label.equals("instance") || label.equals("__name__")) {
            continue;
          }
          switch (op) {
            case "=" -> labels.put(label, value);
            case "!=" -> labels.put(label, value.isEmpty() ? "x" : value + "x");
            case "=~" -> labels.put(label, sampleFor(value));
            default -> labels.remove(label);
          }
        }
        if (name.endsWith("_bucket")) {
          for (String le : new String[] {"0.1", "1", "+Inf"}) {
            labels.put("le", le);
            lines.add(line(name, labels, 5));
          }
        } else {
          lines.add(line(name, labels, name.endsWith("_max") || name.endsWith("max_threads") ? 10 : 5));
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static String sampleFor(String regex) {
    for (String candidate : new String[] {"500", "404", "200", "x", "orders"}) {
      if (candidate.matches(regex)) {
        return candidate;
      }
    }
    throw new AssertionError("no sample value for regex " + regex);
  }

  private static String line(String name, Map<String, String> labels, double value) {
    StringBuilder sb = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> sb.append(k).append("=\"").append(v.replace("\"", "\\\"")).append("\","));
    sb.setLength(sb.length() - 1);
    return sb.append("} ").append(value).toString();
  }
}
