package dev.telemetrykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The built-in dashboard on the metrics port, over real HTTP on loopback. */
class DashboardTest {

  private static final List<String> FILES = List.of("/dashboard/dashboard.js",
      "/dashboard/promcalc.js", "/dashboard/dashboard.css", "/dashboard/icon.svg");

  private static TelemetryKit.Builder onFreePort(String service) {
    return TelemetryKit.builder().serviceName(service).metricsPort(0).shutdownHook(false)
        .registry(new PrometheusRegistry());
  }

  @Test
  void pageAndItsFilesComeFromThisOriginOnly() {
    try (TelemetryKit kit = onFreePort("dash-svc").start()) {
      HttpResponse<byte[]> page = Scrapes.get(kit.metricsPort(), "/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
          .startsWith("default-src 'self';").contains("connect-src 'self'")
          .doesNotContain("unsafe-inline").doesNotContain("http");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      String html = new String(page.body(), StandardCharsets.UTF_8);
      assertThat(html).contains("<title>TelemetryKit dashboard</title>");
      for (String file : FILES) {
        assertThat(html).contains("\"" + file.substring(1) + "\"");
        HttpResponse<byte[]> r = Scrapes.get(kit.metricsPort(), file, null);
        assertThat(r.statusCode()).as(file).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(file).isPresent();
        assertNoOtherOrigin(file, new String(r.body(), StandardCharsets.UTF_8));
      }
      assertNoOtherOrigin("/", html);
      // No inline script or style: the CSP would block them, so they must not exist.
      assertThat(html).doesNotContain("<script>").doesNotContain("<style").doesNotContain(" style=");
      assertThat(Scrapes.get(kit.metricsPort(), "/dashboard/other.js", null).statusCode())
          .isEqualTo(404);
      assertThat(Scrapes.get(kit.metricsPort(), "/health", null).statusCode()).isEqualTo(200);
      assertThat(Scrapes.text(kit.metricsPort())).contains("target_info{");
    }
  }

  @Test
  void postIsRefused() throws Exception {
    try (TelemetryKit kit = onFreePort("dash-svc").start()) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + kit.metricsPort() + "/"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void basicAuthProtectsThePageAsItProtectsMetrics() throws Exception {
    try (TelemetryKit kit = onFreePort("dash-auth").metricsBasicAuth("prom", "s3cret").start()) {
      int port = kit.metricsPort();
      for (String path : List.of("/", "/dashboard/dashboard.js")) {
        HttpResponse<byte[]> anonymous = Scrapes.get(port, path, null);
        assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).get()
            .asString().startsWith("Basic");
      }
      String good = Base64.getEncoder().encodeToString("prom:s3cret".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/")).header("Authorization", "Basic " + good)
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("TelemetryKit dashboard");
    }
  }

  @Test
  void settingTurnsThePageOff() {
    try (TelemetryKit kit = onFreePort("dash-off").setting(TelemetryKit.DASHBOARD_ENABLED, "false")
        .start()) {
      assertThat(Scrapes.get(kit.metricsPort(), "/", null).statusCode()).isEqualTo(404);
      assertThat(Scrapes.get(kit.metricsPort(), "/dashboard/dashboard.js", null).statusCode())
          .isEqualTo(404);
      assertThat(Scrapes.text(kit.metricsPort())).contains("target_info{");
    }
  }

  @Test
  void invalidSettingFailsStart() {
    assertThatThrownBy(() -> onFreePort("dash-bad").setting(TelemetryKit.DASHBOARD_ENABLED, "yes")
        .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid setting TELEMETRYKIT_DASHBOARD_ENABLED")
        .hasMessageContaining("value 'yes' is not allowed")
        .hasMessageContaining("true or false");
  }

  /** Every absolute URL in the page's files: there must be none pointing elsewhere. */
  private static void assertNoOtherOrigin(String file, String text) {
    // The SVG namespace is a name, not a location: nothing is fetched from it.
    Matcher m = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}")
        .matcher(text.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""));
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group());
    }
    assertThat(found).as("absolute URLs in " + file).isEmpty();
  }
}
