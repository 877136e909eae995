package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.samples.monitoring.MonitoringQueries;
import dev.telemetrykit.samples.monitoring.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample as a user runs it — its own JVM, {@code --demo-traffic} — scraped by a real
 * Prometheus every second. Proves the shipped dashboards and alert rules speak the names the
 * library emits, and that no secret sent in a request reaches the service's output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersServiceEndToEndTest {

  /** A card number never used by the demo traffic, sent by this test only. */
  private static final String TEST_CARD = "5555 5555 5555 4444";

  @TempDir
  static Path dir;

  static ServiceProcess service;
  static PrometheusServer prometheus;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void startServiceAndPrometheus() throws Exception {
    service = ServiceProcess.start(dir, Map.of("OTEL_SERVICE_NAME", "orders-service"),
        "--demo-traffic");
    prometheus = PrometheusServer.start(service.metricsPort, "orders-service");
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  @Order(1)
  void apiAnswersAsDocumented() throws Exception {
    // The demo traffic shares the partner tier's limit (and bursts past it every 100 steps):
    // retry a 429, bounded.
    String zoe = "{\"customer\":\"zoe\",\"item\":\"lamp\",\"quantity\":2,\"card\":\""
        + TEST_CARD + "\"}";
    HttpResponse<String> created = postPast429("partner-e2e", "application/json", zoe);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).matches("\\{\"id\":\\d+}");
    assertThat(created.headers().firstValue("X-Request-ID")).isPresent();
    long id = Long.parseLong(created.body().replaceAll("\\D", ""));

    HttpResponse<String> read = get("/orders/" + id);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains("\"customer\":\"zoe\"").doesNotContain("5555");
    assertThat(get("/orders/987654321").statusCode()).isEqualTo(404);
    assertThat(get("/orders?customer=zoe").body()).contains("\"id\":" + id);
    assertThat(get("/orders?customer=zoe&recent=5").body()).contains("\"id\":" + id);
    assertThat(get("/orders?customer=zoe&recent=0").statusCode()).isEqualTo(400);
    assertThat(post("free-x", "{\"customer\":").statusCode()).isEqualTo(400);
    assertThat(post("free-x", "{\"customer\":\"x\"}").body()).contains("required");
    String valid = "{\"customer\":\"y\",\"item\":\"i\",\"quantity\":1,\"card\":\"x\"}";
    assertThat(send(null, "application/json", valid).statusCode()).as("no API key").isEqualTo(401);
    assertThat(send("free-x", "text/plain", valid).statusCode()).as("not JSON").isEqualTo(415);
    assertThat(postPast429("partner-x", "application/json; charset=utf-8", valid).statusCode())
        .isEqualTo(201);
    assertThat(postPast429("partner-x", "application/json",
        valid.replace("\"quantity\":1", "\"quantity\":1.5")).statusCode())
        .as("fractional quantity").isEqualTo(400);
    HttpResponse<String> unknown = get("/no/such/path");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("X-Request-ID")).as("counted by the filter").isPresent();

    int throttled = 0;
    for (int i = 0; i < 40; i++) {
      if (post("free-burst", "{\"customer\":\"b\",\"item\":\"i\",\"quantity\":1,\"card\":\"x\"}")
          .statusCode() == 429) {
        throttled++;
      }
    }
    assertThat(throttled).as("429s from 40 back-to-back requests at 10/s").isPositive();
  }

  @Test
  @Order(2)
  void scrapePassesPromtool() {
    String scrape = Scrapes.text(service.metricsPort);
    Promtool.Result lint = Promtool.checkMetrics(scrape);
    assertThat(lint.output).as("promtool check metrics").isEmpty();
    assertThat(lint.exitCode).isZero();
    assertThat(scrape).contains("http_server_request_duration_seconds_bucket{")
        .contains("db_client_operation_duration_seconds_bucket{")
        .contains("cache_gets_total{").contains("logback_events_total{")
        .containsPattern("http_server_request_duration_seconds_count\\{[^}]*http_route=\"_OTHER\"");
  }

  @Test
  @Order(2)
  void readinessNamesTheChecksAndAnswersWhileSlowClientsHoldConnections() throws Exception {
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", service.metricsPort);
        s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: a\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        slow.add(s);
      }
      HttpResponse<byte[]> ready = Scrapes.get(service.metricsPort, "/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new String(ready.body(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"database\":{\"status\":\"UP\"")
          .contains("\"payments\":{\"status\":\"UP\"");
      assertThat(Scrapes.get(service.metricsPort, "/health/live", null).statusCode())
          .isEqualTo(200);
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
    assertThat(Scrapes.text(service.metricsPort))
        .contains("health_check_status{check=\"database\"} 1.0").contains("health_ready 1.0");
  }

  @Test
  @Order(3)
  void everyDashboardPanelAndAlertSelectorHasDataInRealPrometheus() {
    prometheus.awaitSeries("count_over_time(up{job=\"orders-service\"}[1m]) >= 5",
        Duration.ofSeconds(90));
    MonitoringQueries queries = MonitoringQueries.load(MonitoringQueries.locateMonitoringDir());
    assertThat(queries.all()).hasSizeGreaterThan(20);
    // Demo traffic produces rare events (5xx, throttling bursts, slow and failing queries)
    // over time: poll, bounded, until every query has data.
    List<String> problems = new ArrayList<>();
    for (int attempt = 0; attempt < 60; attempt++) {
      problems = queries.problemsAgainst(prometheus, "1m");
      if (problems.isEmpty()) {
        break;
      }
      sleep(2000);
    }
    assertThat(problems).as("queries without data").isEmpty();
  }

  @Test
  @Order(4)
  void noSecretReachesTheOutputAndEveryLineIsJson() throws Exception {
    String out = service.output();
    assertThat(out).contains("accepted for customer zoe");
    for (String card : List.of(TEST_CARD, TEST_CARD.replace(" ", ""), DemoTraffic.DEMO_CARD,
        DemoTraffic.DEMO_CARD.replace(" ", ""))) {
      assertThat(out).doesNotContain(card);
    }
    int withCorrelation = 0;
    int accessLines = 0;
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode json = Json.MAPPER.readTree(line);
      if (json.path("logger").asText().endsWith("OrdersHandler")) {
        assertThat(json.path("service.name").asText()).as(line).isEqualTo("orders-service");
        assertThat(json.path("correlation_id").asText()).as(line).isNotBlank();
        assertThat(json.path("trace_id").asText()).as(line).hasSize(32);
        withCorrelation++;
      }
      if (json.path("logger").asText().equals("telemetrykit.http.access")) {
        // One access line per request (issue 16), carrying the request's correlation ID.
        assertThat(json.path("correlation_id").asText()).as(line).isNotBlank();
        assertThat(json.path("http_status").asInt()).as(line).isPositive();
        accessLines++;
      }
    }
    assertThat(withCorrelation).isPositive();
    assertThat(accessLines).as("access log lines").isPositive();
  }

  @Test
  @Order(5)
  void dashboardQuantilesMatchPromqlHistogramQuantile() throws Exception {
    // One instant for both queries (@ modifier), so Prometheus answers from the same data.
    long at = System.currentTimeMillis() / 1000 - 2;
    int compared = 0;
    for (String route : List.of("/orders", "/orders/{id}")) {
      String buckets = "sum by (le) (increase(http_server_request_duration_seconds_bucket{"
          + "http_route=\"" + route + "\"}[5m] @ " + at + "))";
      StringBuilder json = new StringBuilder("[");
      List<Double> bounds = new ArrayList<>();
      for (JsonNode sample : prometheus.query(buckets)) {
        String le = sample.path("metric").path("le").asText();
        json.append(json.length() > 1 ? "," : "").append("{\"le\":")
            .append(le.equals("+Inf") ? "\"+Inf\"" : le).append(",\"count\":")
            .append(sample.path("value").get(1).asText()).append('}');
        bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
      }
      assertThat(bounds).as(route).hasSizeGreaterThan(5);
      bounds.sort(null);
      String bucketsJson = json.append(']').toString();
      for (double q : new double[] {0.5, 0.95, 0.99}) {
        JsonNode promql = prometheus.query("histogram_quantile(" + q + ", " + buckets + ")");
        double expected = Double.parseDouble(promql.get(0).path("value").get(1).asText());
        double dashboard = PromCalcNode.histogramQuantile(dir, q, bucketsJson);
        System.out.println("histogram_quantile(" + q + ") " + route + ": PromQL " + expected
            + ", dashboard " + dashboard);
        if (Double.isNaN(expected)) {
          assertThat(dashboard).as(route + " p" + q + " (no observations)").isNaN();
          continue;
        }
        // Same bucket, and (same input, same interpolation) the same number.
        assertThat(bucketOf(dashboard, bounds)).as(route + " p" + q)
            .isEqualTo(bucketOf(expected, bounds));
        assertThat(dashboard).as(route + " p" + q)
            .isCloseTo(expected, Offset.offset(1e-9 + Math.abs(expected) * 1e-9));
        compared++;
      }
    }
    assertThat(compared).as("quantiles compared with data behind them").isPositive();
  }

  private static int bucketOf(double value, List<Double> bounds) {
    int i = 0;
    while (i < bounds.size() - 1 && value > bounds.get(i)) {
      i++;
    }
    return i;
  }

  private static HttpResponse<String> post(String apiKey, String json) throws Exception {
    return send(apiKey, "application/json", json);
  }

  /** Posts, retrying (bounded) while the tier's limit, shared with the demo traffic, says 429. */
  private static HttpResponse<String> postPast429(String apiKey, String contentType, String json)
      throws Exception {
    HttpResponse<String> r = send(apiKey, contentType, json);
    for (int i = 0; i < 50 && r.statusCode() == 429; i++) {
      sleep(200);
      r = send(apiKey, contentType, json);
    }
    return r;
  }

  private static HttpResponse<String> send(String apiKey, String contentType, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + service.httpPort + "/orders"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + service.httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
