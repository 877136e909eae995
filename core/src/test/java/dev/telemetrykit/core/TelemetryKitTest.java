package dev.telemetrykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class TelemetryKitTest {

  private static TelemetryKit.Builder onFreePort(String service) {
    return TelemetryKit.builder().serviceName(service).metricsPort(0).shutdownHook(false)
        .registry(new PrometheusRegistry());
  }

  @Test
  void servesJvmMetricsAndTargetInfoInAllThreeFormats() throws Exception {
    try (TelemetryKit kit = onFreePort("orders-service").serviceVersion("1.2.3").start()) {
      int port = kit.metricsPort();
      assertThat(port).isPositive();

      String text = Scrapes.text(port);
      assertThat(text).contains("jvm_memory_used_bytes{");
      assertThat(text).contains("process_cpu_seconds_total");
      assertThat(Scrapes.lines(text, "target_info{"))
          .singleElement().asString()
          .contains("service_name=\"orders-service\"")
          .contains("service_version=\"1.2.3\"")
          .contains("service_instance_id=\"" + kit.serviceInstanceId() + "\"")
          .endsWith(" 1");

      HttpResponse<byte[]> om = Scrapes.get(port, "/metrics", Scrapes.OPENMETRICS);
      assertThat(om.headers().firstValue("Content-Type")).get().asString()
          .startsWith("application/openmetrics-text");
      String omText = new String(om.body(), StandardCharsets.UTF_8);
      assertThat(omText).contains("# TYPE target info").endsWith("# EOF\n");

      HttpResponse<byte[]> pb = Scrapes.get(port, "/metrics", Scrapes.PROTOBUF);
      assertThat(pb.headers().firstValue("Content-Type")).get().asString()
          .startsWith("application/vnd.google.protobuf");
      assertThat(new String(pb.body(), StandardCharsets.ISO_8859_1)).contains("target_info");

      Promtool.Result lint = Promtool.checkMetrics(text);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void gzipAndNameFilterComeFromTheExporter() throws Exception {
    try (TelemetryKit kit = onFreePort("svc").start()) {
      var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              "http://127.0.0.1:" + kit.metricsPort() + "/metrics?name[]=target_info"))
          .header("Accept-Encoding", "gzip").build();
      var resp = java.net.http.HttpClient.newHttpClient()
          .send(req, HttpResponse.BodyHandlers.ofByteArray());
      assertThat(resp.headers().firstValue("Content-Encoding")).hasValue("gzip");
      String body = new String(new GZIPInputStream(new ByteArrayInputStream(resp.body()))
          .readAllBytes(), StandardCharsets.UTF_8);
      assertThat(body).contains("target_info{").doesNotContain("jvm_memory");
    }
  }

  @Test
  void healthReportsUpWithTheServiceName() {
    try (TelemetryKit kit = onFreePort("health-svc").start()) {
      HttpResponse<byte[]> r = Scrapes.get(kit.metricsPort(), "/health", null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .isEqualTo("{\"status\":\"UP\",\"service\":\"health-svc\",\"checks\":{}}");
      assertThat(Scrapes.get(kit.metricsPort(), "/nope", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void basicAuthProtectsMetricsButNotHealth() throws Exception {
    try (TelemetryKit kit = onFreePort("auth-svc").metricsBasicAuth("prom", "s3cret").start()) {
      int port = kit.metricsPort();
      assertThat(Scrapes.get(port, "/metrics", null).statusCode()).isEqualTo(401);
      assertThat(Scrapes.get(port, "/health", null).statusCode()).isEqualTo(200);

      var client = java.net.http.HttpClient.newHttpClient();
      String good = Base64.getEncoder().encodeToString("prom:s3cret".getBytes(StandardCharsets.UTF_8));
      String bad = Base64.getEncoder().encodeToString("prom:wrong".getBytes(StandardCharsets.UTF_8));
      var uri = java.net.URI.create("http://127.0.0.1:" + port + "/metrics");
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(uri)
          .header("Authorization", "Basic " + good).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(client.send(java.net.http.HttpRequest.newBuilder(uri)
          .header("Authorization", "Basic " + bad).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void badPortsFailStartNamingSettingValueAndRange() {
    for (String bad : new String[] {"abc", "70000", "-1"}) {
      assertThatThrownBy(() -> TelemetryKit.builder().serviceName("x").shutdownHook(false)
              .setting(TelemetryKit.METRICS_PORT, bad).start())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_PROMETHEUS_PORT")
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("between 0 and 65535");
      assertThat(TelemetryKit.current()).isEmpty();
    }
  }

  @Test
  void systemPropertyTwinIsReadAndNamedInErrors() {
    System.setProperty("otel.exporter.prometheus.port", "http");
    try {
      assertThatThrownBy(() -> TelemetryKit.builder().serviceName("x").start())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("otel.exporter.prometheus.port")
          .hasMessageContaining("'http'");
    } finally {
      System.clearProperty("otel.exporter.prometheus.port");
    }
  }

  @Test
  void unknownBooleanWordFailsStart() {
    assertThatThrownBy(() -> onFreePort("x").setting(TelemetryKit.JVM_METRICS, "yes-please").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_JVM_METRICS")
        .hasMessageContaining("'yes-please'")
        .hasMessageContaining("true or false");
  }

  @Test
  void badCardinalityLimitAndHostFailStart() {
    assertThatThrownBy(() -> onFreePort("x").setting(TelemetryKit.CARDINALITY_LIMIT, "0").start())
        .hasMessageContaining("TELEMETRYKIT_CARDINALITY_LIMIT").hasMessageContaining("'0'");
    assertThatThrownBy(() -> onFreePort("x").metricsHost("no such host!").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_PROMETHEUS_HOST")
        .hasMessageContaining("'no such host!'");
    assertThatThrownBy(() -> onFreePort("x").setting(TelemetryKit.METRICS_USERNAME, "u").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_METRICS_PASSWORD");
  }

  @Test
  void blankServiceNameIsRejected() {
    assertThatThrownBy(() -> TelemetryKit.start(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service name");
    assertThatThrownBy(() -> TelemetryKit.start(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_SERVICE_NAME");
  }

  @Test
  void portInUseNamesPortAndSettingAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      var registry = new PrometheusRegistry();
      assertThatThrownBy(() -> TelemetryKit.builder().serviceName("x").shutdownHook(false)
              .registry(registry).metricsPort(port).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(":" + port)
          .hasMessageContaining("OTEL_EXPORTER_PROMETHEUS_PORT=" + port)
          .hasMessageContaining("already in use");
      assertThat(TelemetryKit.current()).isEmpty();
      assertThat(registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
          .doesNotContain("target_info", "telemetrykit_instrumentation_errors");
    }
  }

  @Test
  void closeReleasesThePortAndIsIdempotent() {
    TelemetryKit first = onFreePort("first").start();
    int port = first.metricsPort();
    first.close();
    first.close();
    try (TelemetryKit second = TelemetryKit.builder().serviceName("second").shutdownHook(false)
        .registry(new PrometheusRegistry()).metricsPort(port).start()) {
      assertThat(second.metricsPort()).isEqualTo(port);
      assertThat(Scrapes.text(port)).contains("service_name=\"second\"");
    }
  }

  @Test
  void secondStartWhileRunningFailsNamingTheRunningService() {
    try (TelemetryKit running = onFreePort("running-svc").start()) {
      assertThatThrownBy(() -> onFreePort("other").start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already running")
          .hasMessageContaining("running-svc");
      assertThat(TelemetryKit.current()).containsSame(running);
    }
  }

  @Test
  void restartOnTheDefaultRegistryRegistersAgain() {
    for (int i = 0; i < 2; i++) {
      try (TelemetryKit kit = TelemetryKit.builder().serviceName("default-" + i)
          .metricsPort(0).shutdownHook(false).start()) {
        assertThat(Scrapes.text(kit.metricsPort())).contains("service_name=\"default-" + i + "\"");
      }
    }
  }

  @Test
  void envServiceNameOverridesTheNameInCode() {
    System.setProperty("otel.service.name", "from-property");
    try (TelemetryKit kit = onFreePort("from-code").start()) {
      assertThat(kit.serviceName()).isEqualTo("from-property");
    } finally {
      System.clearProperty("otel.service.name");
    }
  }

  @Test
  void modulesStartInOrderAndCloseInReverse() {
    StringBuilder log = new StringBuilder();
    TelemetryModule a = new RecordingModule("a", 20, log, false);
    TelemetryModule b = new RecordingModule("b", 10, log, false);
    try (TelemetryKit kit = onFreePort("m").modules(a, b).start()) {
      assertThat(kit.moduleNames()).containsExactly("b", "a");
      assertThat(kit.module(RecordingModule.class)).isPresent();
    }
    assertThat(log.toString()).isEqualTo("start b;start a;close a;close b;");
  }

  @Test
  void failingModuleFailsStartAndClosesWhatStarted() {
    StringBuilder log = new StringBuilder();
    TelemetryModule ok = new RecordingModule("ok", 1, log, false);
    TelemetryModule bad = new RecordingModule("bad", 2, log, true);
    assertThatThrownBy(() -> onFreePort("m").modules(ok, bad).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_BAD");
    assertThat(log.toString()).isEqualTo("start ok;start bad;close bad;close ok;");
    assertThat(TelemetryKit.current()).isEmpty();
  }

  @Test
  void metricsServerCanBeDisabled() {
    try (TelemetryKit kit = TelemetryKit.builder().serviceName("no-server").metricsServer(false)
        .shutdownHook(false).registry(new PrometheusRegistry()).start()) {
      assertThat(kit.metricsPort()).isEqualTo(-1);
    }
  }

  static final class RecordingModule implements TelemetryModule {
    private final String name;
    private final int order;
    private final StringBuilder log;
    private final boolean fail;

    RecordingModule(String name, int order, StringBuilder log, boolean fail) {
      this.name = name;
      this.order = order;
      this.log = log;
      this.fail = fail;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int order() {
      return order;
    }

    @Override
    public void start(TelemetryKit telemetry) {
      log.append("start ").append(name).append(';');
      if (fail) {
        throw new IllegalArgumentException("Invalid setting TELEMETRYKIT_BAD: value 'x'");
      }
    }

    @Override
    public void close() {
      log.append("close ").append(name).append(';');
    }
  }
}
