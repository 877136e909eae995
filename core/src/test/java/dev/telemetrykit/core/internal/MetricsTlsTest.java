package dev.telemetrykit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the metrics port with a key store made by {@code keytool}: scraped by the JDK
 * {@link HttpClient} and by a real Prometheus ({@code scheme: https} with the test CA and basic
 * auth); a wrong password is 401 over TLS.
 */
class MetricsTlsTest {

  private static final String STORE_PASSWORD = "store-pw-123";

  @TempDir
  static Path dir;
  static Path keyStore;
  static Path certPem;

  @BeforeAll
  static void makeKeyStore() throws Exception {
    keyStore = dir.resolve("metrics.p12");
    certPem = dir.resolve("metrics.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "metrics", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
        "-keypass", STORE_PASSWORD);
    run(keytool, "-exportcert", "-rfc", "-alias", "metrics", "-keystore", keyStore.toString(),
        "-storepass", STORE_PASSWORD, "-file", certPem.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static SSLContext trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certPem)) {
      trust.setCertificateEntry("metrics",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static TelemetryKit.Builder kit() {
    return TelemetryKit.builder().serviceName("tls-svc").registry(new PrometheusRegistry())
        .metricsHost("127.0.0.1").metricsPort(0).shutdownHook(false).jvmMetrics(false)
        .setting(TelemetryKit.METRICS_TLS_KEYSTORE, keyStore.toString())
        .setting(TelemetryKit.METRICS_TLS_KEYSTORE_PASSWORD, STORE_PASSWORD);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jdkClientScrapesOverHttpsAndAWrongPasswordIs401() throws Exception {
    try (TelemetryKit telemetry = kit().metricsBasicAuth("prom", "right-pw").start()) {
      HttpClient client = HttpClient.newBuilder().sslContext(trusting())
          .connectTimeout(Duration.ofSeconds(10)).build();
      String base = "https://127.0.0.1:" + telemetry.metricsPort();
      HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .header("Authorization", basic("prom", "right-pw")).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("target_info{");
      assertThat(ok.sslSession()).isPresent();

      HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .header("Authorization", basic("prom", "wrong-pw")).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);

      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      // Plain HTTP on the TLS port gets no metrics.
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + telemetry.metricsPort() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void clientsThatNeverHandshakeDoNotStallHttpsAndAreCut() throws Exception {
    try (TelemetryKit telemetry = kit()
        .setting(TelemetryKit.METRICS_REQUEST_TIMEOUT, "2s").start()) {
      int port = telemetry.metricsPort();
      java.util.List<java.net.Socket> silent = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
          s.setSoTimeout(60_000);
          silent.add(s);
        }
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build();
        for (int i = 0; i < 5; i++) {
          assertThat(client.send(HttpRequest.newBuilder(URI.create(
              "https://127.0.0.1:" + port + "/health/live")).timeout(Duration.ofSeconds(30))
              .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        for (java.net.Socket s : silent) {
          int read;
          try {
            read = s.getInputStream().read();
          } catch (IOException reset) {
            read = -1;
          }
          assertThat(read).as("server closed the silent TLS socket").isEqualTo(-1);
        }
      } finally {
        for (java.net.Socket s : silent) {
          s.close();
        }
      }
    }
  }

  @Test
  void builderTakesAnSslContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, STORE_PASSWORD.toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    try (TelemetryKit telemetry = TelemetryKit.builder().serviceName("tls-ctx")
        .registry(new PrometheusRegistry()).metricsHost("127.0.0.1").metricsPort(0)
        .shutdownHook(false).jvmMetrics(false).metricsTls(server).start()) {
      HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(
          "https://127.0.0.1:" + telemetry.metricsPort() + "/health/ready"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void wrongKeyStorePasswordFailsStartWithoutEchoingIt() {
    assertThatThrownBy(() -> kit().setting(TelemetryKit.METRICS_TLS_KEYSTORE_PASSWORD,
        "not-the-password").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting " + TelemetryKit.METRICS_TLS_KEYSTORE)
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void realPrometheusScrapesOverHttpsWithBasicAuth() throws Exception {
    String prometheus = null;
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (new File(d, "prometheus").canExecute()) {
        prometheus = new File(d, "prometheus").getPath();
      }
    }
    // The same Debian package as promtool, which every module's tests need: never skipped.
    assertThat(prometheus)
        .as("prometheus binary on PATH (apt-get install prometheus; .ci/run installs it)")
        .isNotNull();
    try (TelemetryKit telemetry = kit().metricsBasicAuth("prom", "right-pw").start()) {
      int promPort;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        promPort = s.getLocalPort();
      }
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1s\n"
          + "scrape_configs:\n"
          + "  - job_name: tls\n    scheme: https\n"
          + "    tls_config:\n      ca_file: " + certPem + "\n"
          + "    basic_auth:\n      username: prom\n      password: right-pw\n"
          + "    static_configs:\n      - targets: ['127.0.0.1:" + telemetry.metricsPort() + "']\n"
          + "  - job_name: tls-wrong-password\n    scheme: https\n"
          + "    tls_config:\n      insecure_skip_verify: true\n"
          + "    basic_auth:\n      username: prom\n      password: wrong\n"
          + "    static_configs:\n      - targets: ['127.0.0.1:" + telemetry.metricsPort() + "']\n");
      Process p = new ProcessBuilder(prometheus, "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String query = "http://127.0.0.1:" + promPort + "/api/v1/query?query="
            + URLEncoder.encode("up", StandardCharsets.UTF_8);
        String body = "";
        for (int i = 0; i < 120; i++) {
          try {
            body = http.send(HttpRequest.newBuilder(URI.create(query))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"job\":\"tls\"") && body.contains("\"job\":\"tls-wrong-password\"")) {
              break;
            }
          } catch (IOException notYetListening) {
            // Prometheus is starting.
          }
          assertThat(p.isAlive()).as(() -> log()).isTrue();
          Thread.sleep(500);
        }
        assertThat(body).as(() -> log())
            .containsPattern("\"job\":\"tls\"\\},\"value\":\\[[0-9.]+,\"1\"\\]")
            .containsPattern("\"job\":\"tls-wrong-password\"\\},\"value\":\\[[0-9.]+,\"0\"\\]");
      } finally {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
