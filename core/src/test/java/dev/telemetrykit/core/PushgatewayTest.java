package dev.telemetrykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.telemetrykit.core.meter.BatchMetrics;
import dev.telemetrykit.core.testing.Pushgateway;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushgatewayTest {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private static TelemetryKit.Builder kit(PrometheusRegistry registry) {
    return TelemetryKit.builder().serviceName("nightly-import").metricsServer(false)
        .shutdownHook(false).jvmMetrics(false).registry(registry).modules();
  }

  @Test
  void closePushesTheRecordedValuesWithJobAndInstance() throws Exception {
    try (Pushgateway gateway = Pushgateway.start()) {
      PrometheusRegistry registry = new PrometheusRegistry();
      TelemetryKit telemetry = kit(registry).pushgateway(gateway.url())
          .setting(TelemetryKit.PUSHGATEWAY_INSTANCE, "batch-host-1").start();
      BatchMetrics batches = telemetry.meters().batchProcessor("invoices");
      for (int i = 0; i < 3; i++) {
        try (BatchMetrics.Batch b = batches.start(10 + i)) {
          b.failedItems(i);
          b.success();
        }
      }
      try (BatchMetrics.Batch b = batches.start(7)) {
        // closed without success(): a failed batch
      }
      Map<String, Double> recorded = parse(localScrape(registry), "batch_processor_", "target_info");
      assertThat(recorded).containsKey(
          "batch_processor_batches_total{outcome=success,processor=invoices}");

      telemetry.close();

      String metrics = gateway.metrics();
      Map<String, Double> pushed = new TreeMap<>();
      for (Map.Entry<String, Double> e : parse(metrics, "batch_processor_", "target_info").entrySet()) {
        if (e.getKey().contains("job=nightly-import") && e.getKey().contains("instance=batch-host-1")) {
          pushed.put(e.getKey().replace("instance=batch-host-1,", "").replace(",job=nightly-import", "")
              .replace("{job=nightly-import}", "").replace("job=nightly-import,", ""), e.getValue());
        }
      }
      assertThat(pushed).as(metrics).isEqualTo(recorded);
      assertThat(pushed.get("batch_processor_batches_total{outcome=success,processor=invoices}"))
          .isEqualTo(3.0);
      assertThat(pushed.get("batch_processor_items_total{outcome=failure,processor=invoices}"))
          .isEqualTo(0 + 1 + 2 + 7.0);
      assertThat(Pushgateway.series(metrics, "push_time_seconds", "job=\"nightly-import\"",
          "instance=\"batch-host-1\"")).hasSize(1);
      assertThat(Pushgateway.series(metrics, "target_info", "job=\"nightly-import\"",
          "service_name=\"nightly-import\"")).hasSize(1);
    }
  }

  @Test
  void intervalPushesWhileRunningAndCountsThem() throws Exception {
    try (Pushgateway gateway = Pushgateway.start()) {
      PrometheusRegistry registry = new PrometheusRegistry();
      TelemetryKit telemetry = kit(registry).pushgateway(gateway.url())
          .pushgatewayInterval(Duration.ofMillis(100)).start();
      try {
        telemetry.meters().counter("orders_imported_total").help("Imported orders")
            .register().labelValues().inc(5);
        waitFor(() -> !Pushgateway.series(gateway.metrics(), "orders_imported_total",
            "job=\"nightly-import\"").isEmpty());
        assertThat(Pushgateway.series(gateway.metrics(), "orders_imported_total",
            "job=\"nightly-import\"").get(0)).endsWith(" 5");
        assertThat(value(localScrape(registry),
            "telemetrykit_pushgateway_pushes_total{result=\"success\"}")).isPositive();
      } finally {
        telemetry.close();
      }
    }
  }

  @Test
  void refusedGatewayIsCountedLoggedAndCloseReturns() throws Exception {
    int port = Pushgateway.freePort();   // nothing listens there: connection refused
    PrometheusRegistry registry = new PrometheusRegistry();
    TelemetryKit telemetry = kit(registry).pushgateway("http://127.0.0.1:" + port)
        .pushgatewayInterval(Duration.ofMillis(50)).start();
    waitFor(() -> value(localScrape(registry),
        "telemetrykit_pushgateway_pushes_total{result=\"failure\"}") >= 3);
    assertThat(value(localScrape(registry),
        "telemetrykit_pushgateway_pushes_total{result=\"success\"}")).isZero();
    telemetry.close();   // the final push fails too, and close() still returns normally
    assertThat(TelemetryKit.current()).isEmpty();
  }

  @Test
  void blackHoledGatewayTimesOutAndCloseReturns() throws Exception {
    // Accepts TCP connections (backlog) but never answers: the push hits its read timeout.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      PrometheusRegistry registry = new PrometheusRegistry();
      TelemetryKit telemetry = kit(registry)
          .pushgateway("http://127.0.0.1:" + blackHole.getLocalPort()).start();
      telemetry.close();
      assertThat(TelemetryKit.current()).isEmpty();
    }
  }

  @Test
  void basicAuthAndPrivateCaOverHttps(@TempDir Path dir) throws Exception {
    // A real HTTPS server on loopback with a self-signed certificate made by the JDK's keytool.
    Path keystore = dir.resolve("server.p12");
    Path ca = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "gw", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "gw", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", ca.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    List<String> received = new CopyOnWriteArrayList<>();
    server.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "\n"
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    }).setAuthenticator(new BasicAuthenticator("pushgateway") {
      @Override
      public boolean checkCredentials(String user, String password) {
        return user.equals("job") && password.equals("s3cret");
      }
    });
    server.start();
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      kit(registry).pushgateway(url).pushgatewayBasicAuth("job", "s3cret")
          .setting(TelemetryKit.PUSHGATEWAY_CA_FILE, ca.toString())
          .setting(TelemetryKit.PUSHGATEWAY_INSTANCE, "a/b").start().close();
      assertThat(received).hasSize(1);
      assertThat(received.get(0))
          .startsWith("PUT /metrics/job/nightly-import/instance@base64/YS9i\n")
          .contains("service_name=\"nightly-import\"");

      // Wrong password: answered 401, counted as a failure, close() still returns.
      PrometheusRegistry other = new PrometheusRegistry();
      TelemetryKit wrong = kit(other).pushgateway(url).pushgatewayBasicAuth("job", "nope")
          .pushgatewayInterval(Duration.ofMillis(50))
          .setting(TelemetryKit.PUSHGATEWAY_CA_FILE, ca.toString()).start();
      waitFor(() -> value(localScrape(other),
          "telemetrykit_pushgateway_pushes_total{result=\"failure\"}") >= 1);
      wrong.close();
      assertThat(received).hasSize(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void badSettingsFailStart(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> kit(new PrometheusRegistry()).pushgateway("ftp://gw:21").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid setting TELEMETRYKIT_PUSHGATEWAY_URL (set in code):"
            + " value 'ftp://gw:21' is not allowed; expected an http:// or https:// URL");
    assertThatThrownBy(() -> kit(new PrometheusRegistry()).pushgateway("http://gw:9091")
        .setting(TelemetryKit.PUSHGATEWAY_INTERVAL, "soon").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TELEMETRYKIT_PUSHGATEWAY_INTERVAL");
    assertThatThrownBy(() -> kit(new PrometheusRegistry()).pushgateway("http://gw:9091")
        .setting(TelemetryKit.PUSHGATEWAY_USERNAME, "u").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TelemetryKit.PUSHGATEWAY_PASSWORD);
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    assertThatThrownBy(() -> kit(new PrometheusRegistry()).pushgateway("https://gw:9091")
        .setting(TelemetryKit.PUSHGATEWAY_CA_FILE, notPem.toString()).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting TELEMETRYKIT_PUSHGATEWAY_CA_FILE");
    assertThat(TelemetryKit.current()).isEmpty();
  }

  private static String localScrape(PrometheusRegistry registry) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /**
   * Samples of the metrics with these name prefixes, keyed {@code name{l1=v1,l2=v2}} with labels
   * sorted and {@code le} normalised ({@code 1.0} and {@code 1} are the same bound).
   */
  private static Map<String, Double> parse(String text, String... prefixes) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      String name = m.group(1);
      boolean wanted = false;
      for (String p : prefixes) {
        wanted |= name.startsWith(p);
      }
      if (!wanted) {
        continue;
      }
      TreeMap<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          String v = l.group(2);
          if (l.group(1).equals("le") && !v.equals("+Inf")) {
            v = Double.toString(Double.parseDouble(v));
          }
          labels.put(l.group(1), v);
        }
      }
      StringBuilder key = new StringBuilder(name);
      if (!labels.isEmpty()) {
        key.append('{');
        labels.forEach((k, v) -> key.append(k).append('=').append(v).append(','));
        key.setLength(key.length() - 1);
        key.append('}');
      }
      out.put(key.toString(), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
