package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dashboard of the running sample ({@code --demo-traffic}, basic auth on), opened
 * in Debian's headless Chromium: the page is 401 without credentials; with them it draws the
 * sample's routes with live rates after two polls, and the browser requests nothing outside
 * the metrics port. Saves {@code target/dashboard/orders-service.png}.
 */
class DashboardBrowserTest {

  private static final String USER = "dashboard";
  private static final String PASSWORD = "b1g-s3cret";
  private static final String POLLS =
      "document.body ? Number(document.body.getAttribute('data-polls')) : 0";

  @TempDir
  static Path dir;

  static ServiceProcess service;
  static String origin;

  @BeforeAll
  static void startService() throws Exception {
    service = ServiceProcess.start(dir, Map.of("OTEL_SERVICE_NAME", "orders-service",
        "TELEMETRYKIT_METRICS_USERNAME", USER, "TELEMETRYKIT_METRICS_PASSWORD", PASSWORD),
        "--demo-traffic");
    origin = "http://127.0.0.1:" + service.metricsPort;
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void pageIsHtmlFromThisOriginAndNeedsTheMetricsCredentials() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(origin + "/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);

    String auth = Base64.getEncoder().encodeToString(
        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(origin + "/"))
        .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
        .startsWith("default-src 'self'");

    // What one poll costs the service: one GET /metrics, as the browser sends it (gzip).
    // Printed, not asserted: the machine is shared, so times are only indicative.
    // client_java renders the whole body before it sends the headers, so the time to the
    // headers is the snapshot + text + gzip cost, without the transfer of the body.
    List<Long> micros = new ArrayList<>();
    List<Long> headerMicros = new ArrayList<>();
    long gzipBytes = 0;
    for (int i = 0; i < 21; i++) {
      long start = System.nanoTime();
      long[] headersAt = new long[1];
      HttpResponse<byte[]> scrape = client.send(HttpRequest.newBuilder(
              URI.create(origin + "/metrics")).header("Authorization", "Basic " + auth)
          .header("Accept", "text/plain; version=0.0.4").header("Accept-Encoding", "gzip").build(),
          info -> {
            headersAt[0] = System.nanoTime();
            return HttpResponse.BodySubscribers.ofByteArray();
          });
      micros.add((System.nanoTime() - start) / 1000);
      headerMicros.add((headersAt[0] - start) / 1000);
      assertThat(scrape.statusCode()).isEqualTo(200);
      gzipBytes = scrape.body().length;
    }
    micros.sort(null);
    headerMicros.sort(null);
    System.out.println("dashboard poll cost: GET /metrics median " + micros.get(10) / 1000.0
        + " ms (min " + micros.get(0) / 1000.0 + ", max " + micros.get(20) / 1000.0
        + "), to headers median " + headerMicros.get(10) / 1000.0 + " ms (min "
        + headerMicros.get(0) / 1000.0 + ") over 21, " + gzipBytes + " bytes gzipped");
  }

  @Test
  void chromiumShowsTheRoutesWithLiveRatesAndLoadsNothingFromElsewhere() throws Exception {
    try (HeadlessChromium chromium = HeadlessChromium.start(dir)) {
      // Without credentials the browser gets the 401 and nothing else.
      String page = origin + "/?interval=1";
      chromium.navigate(page);
      awaitTrue(() -> Integer.valueOf(401).equals(chromium.statusByUrl.get(page)),
          "401 for the page without credentials");
      assertThat(chromium.requestedUrls).allMatch(url -> url.startsWith(origin + "/"));
      awaitTrue(() -> chromium.problems.stream().anyMatch(p -> p.contains("status of 401")),
          "the browser's own log of the 401");
      chromium.problems.clear();

      // With them (as a user typing them into the prompt) the page polls /metrics.
      chromium.answerBasicAuth(USER, PASSWORD);
      chromium.navigate(page);
      awaitTrue(() -> chromium.evaluate(POLLS)
          .asInt() >= 3, "three polls (two rate windows)");
      // Demo traffic covers every route within a few seconds; poll, bounded, for all three.
      Map<String, Double> rates = new LinkedHashMap<>();
      awaitTrue(() -> {
        rates.clear();
        for (JsonNode row : chromium.evaluate("Array.from(document.querySelectorAll("
            + "'[data-section=\"http-server\"] tr[data-route]')).map(r => [r.dataset.route,"
            + " Number(r.dataset.rate)])")) {
          rates.put(row.get(0).asText(), row.get(1).asDouble());
        }
        return rates.keySet().containsAll(List.of("/orders", "/orders/{id}", "/payments/charge"))
            && rates.values().stream().filter(r -> r > 0).count() >= 3;
      }, "the sample's three routes with non-zero rates");
      System.out.println("dashboard route rates (req/s): " + rates);
      // The artifact first, so a failing assertion below still leaves a picture to look at.
      chromium.screenshot(Path.of("target", "dashboard", "orders-service.png"));
      chromium.fullPageScreenshot(Path.of("target", "dashboard", "orders-service-full.png"));
      String docsShot = System.getProperty("dashboard.docsScreenshot");
      if (docsShot != null) {
        // For docs/: a few minutes of history make a more telling picture than a few seconds.
        Thread.sleep(Long.getLong("dashboard.docsScreenshotDelayMs", 120_000));
        chromium.screenshot(Path.of(docsShot));
        chromium.fullPageScreenshot(Path.of(docsShot.replace(".png", "-full.png")));
      }

      // No layout shift while polling: two more polls redraw every chart and the table, and
      // nothing in the first section moves or changes size.
      String rects = "JSON.stringify(Array.from(document.querySelectorAll("
          + "'[data-section=\"http-server\"] figure, [data-section=\"http-server\"] table'))"
          + ".map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }))";
      String layout = chromium.evaluate(rects).asText();
      int pollsNow = chromium.evaluate(POLLS).asInt();
      awaitTrue(() -> chromium.evaluate(POLLS).asInt() >= pollsNow + 2, "two more polls");
      assertThat(chromium.evaluate(rects).asText()).as("layout after two polls").isEqualTo(layout);

      List<String> sections = new ArrayList<>();
      chromium.evaluate("Array.from(document.querySelectorAll('section[data-section]'))"
          + ".map(s => s.dataset.section)").forEach(n -> sections.add(n.asText()));
      assertThat(sections).contains("http-server", "http-client", "db", "cache", "rate-limiter",
          "jvm");
      assertThat(chromium.evaluate("document.getElementById('service').textContent").asText())
          .isEqualTo("orders-service");
      // Every chart has labelled axes: a unit on the y axis, time on the x axis.
      assertThat(chromium.evaluate("Array.from(document.querySelectorAll('figure.chart > svg'))"
          + ".every(s => s.querySelectorAll('text.axis').length === 2)").asBoolean()).isTrue();
      JsonNode legend = chromium.evaluate("Array.from(document.querySelectorAll("
          + "'[data-chart=\"http-rate\"] .legend li')).map(l => l.dataset.series)");
      assertThat(legend.toString()).contains("/orders/{id}");

      // Nothing but this origin: no request went elsewhere, no element points elsewhere.
      assertThat(chromium.requestedUrls).isNotEmpty()
          .allMatch(url -> url.startsWith(origin + "/"), "starts with " + origin + "/");
      JsonNode foreign = chromium.evaluate("Array.from(document.querySelectorAll('[src],[href]'))"
          + ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin + '/'))");
      assertThat(foreign.size()).as(foreign.toString()).isZero();
      assertThat(chromium.evaluate("document.documentElement.outerHTML").asText())
          .doesNotContainPattern("https?://(?!127\\.0\\.0\\.1:" + service.metricsPort + ")");
      assertThat(chromium.problems).as("console errors, CSP violations, exceptions").isEmpty();

      // One registry snapshot per poll: the page's only data requests are its /metrics polls.
      long scrapes = chromium.requestedUrls.stream().filter(u -> u.endsWith("/metrics")).count();
      int polls = chromium.evaluate(POLLS).asInt();
      assertThat(scrapes).isBetween((long) polls, (long) polls + 1);
      System.out.println("dashboard: " + polls + " polls, " + scrapes + " GET /metrics; status: "
          + chromium.evaluate("document.getElementById('status').textContent").asText());

    }
  }

  interface Check {
    boolean test() throws Exception;
  }

  /** Polls a condition, bounded (60 s), so a slow shared machine only makes the test slower. */
  private static void awaitTrue(Check check, String what) throws Exception {
    for (int i = 0; i < 240; i++) {
      if (check.test()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
