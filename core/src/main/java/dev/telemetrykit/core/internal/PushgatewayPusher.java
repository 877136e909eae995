package dev.telemetrykit.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the registry to a Prometheus Pushgateway: {@code PUT /metrics/job/<job>/instance/<i>}
 * with the Prometheus text format, the same request client_java's
 * {@code PushGateway.push()} sends (that artifact is not available in the 1.10 line we pin, so
 * the few lines are here). PUT replaces the whole group, so a batch job's last run is what stays
 * in the gateway.
 *
 * <p>A push never throws: the result is counted ({@code success}/{@code failure}), the first
 * failure of a streak is logged at WARN, the recovery at INFO.
 */
public final class PushgatewayPusher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PushgatewayPusher.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 10_000;

  private final PrometheusRegistry registry;
  private final URL url;
  private final String authorization;
  private final SSLSocketFactory sslSocketFactory;
  private final CounterDataPoint successes;
  private final CounterDataPoint failures;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ScheduledExecutorService scheduler;
  private final Object pushLock = new Object();
  private boolean failing;

  /**
   * Creates the pusher and, for a positive interval, starts pushing every interval.
   *
   * @param baseUrl e.g. {@code http://pushgateway:9091}, validated by the caller
   * @param username basic-auth user, or {@code null}
   * @param sslSocketFactory trusts the configured CA, or {@code null} for the JVM default
   */
  public PushgatewayPusher(PrometheusRegistry registry, URI baseUrl, String job, String instance,
      String username, String password, SSLSocketFactory sslSocketFactory, Duration interval,
      CounterDataPoint successes, CounterDataPoint failures) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.url = toUrl(baseUrl, job, instance);
    this.authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.sslSocketFactory = sslSocketFactory;
    this.successes = successes;
    this.failures = failures;
    if (interval != null && !interval.isZero()) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "telemetrykit-pushgateway");
        t.setDaemon(true);
        return t;
      });
      long millis = interval.toMillis();
      scheduler.scheduleWithFixedDelay(this::push, millis, millis, TimeUnit.MILLISECONDS);
    } else {
      scheduler = null;
    }
  }

  /** The URL pushed to, including the grouping key. */
  public URL url() {
    return url;
  }

  /**
   * Pushes the registry once, synchronously. Never throws.
   *
   * @return whether the gateway accepted the push
   */
  public boolean push() {
    // One push at a time: the periodic one and the final one in close() must not interleave,
    // or an older snapshot could land last.
    synchronized (pushLock) {
      try {
        pushOnce();
        successes.inc();
        if (failing) {
          failing = false;
          LOG.info("Pushgateway push to {} works again", url);
        }
        return true;
      } catch (Throwable t) {
        failures.inc();
        if (!failing) {
          failing = true;
          LOG.warn("Pushgateway push to {} failed (the application is not affected; failures"
              + " are counted in telemetrykit_pushgateway_pushes_total{{result=\"failure\"}},"
              + " only the first of a streak is logged)", url, t);
        }
        return false;
      }
    }
  }

  private void pushOnce() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    writer.write(body, registry.scrape());
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    try {
      if (sslSocketFactory != null && connection instanceof HttpsURLConnection) {
        ((HttpsURLConnection) connection).setSSLSocketFactory(sslSocketFactory);
      }
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      connection.setFixedLengthStreamingMode(body.size());
      try (OutputStream out = connection.getOutputStream()) {
        body.writeTo(out);
      }
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        throw new IOException("Pushgateway answered HTTP " + status + ": " + errorBody(connection));
      }
      drain(connection.getInputStream());
    } finally {
      connection.disconnect();
    }
  }

  private static String errorBody(HttpURLConnection connection) {
    try (InputStream in = connection.getErrorStream()) {
      if (in == null) {
        return "";
      }
      byte[] bytes = in.readNBytes(2048);
      return new String(bytes, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static void drain(InputStream in) throws IOException {
    try (in) {
      in.readNBytes(64 * 1024);
    }
  }

  /** Stops periodic pushing and pushes a last time, so a batch job's final values are kept. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    push();
  }

  /**
   * {@code base/metrics/job/<job>/instance/<instance>}; a value that is empty or holds a
   * {@code /} is sent base64url-encoded ({@code job@base64/...}), as the Pushgateway requires.
   */
  static URL toUrl(URI base, String job, String instance) {
    String root = base.toString();
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    String path = root + "/metrics" + segment("job", job) + segment("instance", instance);
    try {
      return URI.create(path).toURL();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot build the Pushgateway URL " + path, e);
    }
  }

  /**
   * An {@link SSLSocketFactory} that trusts exactly the certificates in a PEM (or DER) file,
   * for a Pushgateway behind a private CA.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or parsed
   */
  public static SSLSocketFactory trusting(java.nio.file.Path caFile) {
    try (InputStream in = java.nio.file.Files.newInputStream(caFile)) {
      java.security.cert.CertificateFactory factory =
          java.security.cert.CertificateFactory.getInstance("X.509");
      java.security.KeyStore trust = java.security.KeyStore.getInstance(
          java.security.KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (java.security.cert.Certificate c : factory.generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in " + caFile);
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA certificates from " + caFile + ": "
          + e.getMessage(), e);
    }
  }

  private static String segment(String name, String value) {
    if (value.isEmpty() || value.contains("/") || !value.matches("[A-Za-z0-9._~:-]+")) {
      return "/" + name + "@base64/" + (value.isEmpty() ? "=" : Base64.getUrlEncoder()
          .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
    return "/" + name + "/" + value;
  }
}
