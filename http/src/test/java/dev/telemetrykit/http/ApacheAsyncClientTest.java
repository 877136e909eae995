package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Apache HttpClient 5 async client against a real JDK server on loopback; the same cases as
 * {@link ClientIntegrationsTest} for the classic client.
 */
class ApacheAsyncClientTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = Fixtures.sdk(spans);
  private TelemetryKit kit;
  private HttpTelemetry http;
  private RecordingServer server;
  private int port;

  @BeforeEach
  void setUp() throws IOException {
    kit = Fixtures.kit().start();
    http = HttpTelemetry.builder(kit).openTelemetry(sdk).build();
    server = new RecordingServer();
    port = server.port;
  }

  @AfterEach
  void tearDown() {
    server.close();
    kit.close();
    sdk.close();
    MDC.clear();
  }

  private CloseableHttpAsyncClient client(long responseTimeoutMillis) {
    CloseableHttpAsyncClient client = ApacheHttpClientTelemetry.instrument(http,
            HttpAsyncClients.custom()
                .setDefaultRequestConfig(RequestConfig.custom()
                    .setResponseTimeout(Timeout.ofMilliseconds(responseTimeoutMillis)).build())
                .disableAutomaticRetries())
        .build();
    client.start();
    return client;
  }

  private static SimpleHttpRequest get(int port, String path) {
    return SimpleRequestBuilder.get("http://127.0.0.1:" + port + path).build();
  }

  /** The response, or the failure the future reports (unwrapped) thrown. */
  private static SimpleHttpResponse call(CloseableHttpAsyncClient client, SimpleHttpRequest r)
      throws Throwable {
    try {
      return client.execute(r, null).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private void awaitServerSaw(String path) {
    Metrics.await("server saw " + path, () -> server.traceparents.containsKey(path));
  }

  private String scrape() {
    return Scrapes.text(kit.metricsPort());
  }

  @Test
  void successCarriesTraceparentAndCorrelationIdToTheServer() throws Throwable {
    try (CloseableHttpAsyncClient c = client(10_000)) {
      MDC.put(HttpNames.MDC_CORRELATION_ID, "cid-async");
      SimpleHttpResponse r = call(c, get(port, "/ok"));
      assertThat(r.getCode()).isEqualTo(200);
      assertThat(r.getBodyText()).isEqualTo("ok");
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=GET",
        "http_response_status_code=200", "server_address=127.0.0.1", "server_port=" + port,
        "url_scheme=http", "error_type=")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(server.traceparents.get("/ok"))
        .startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
    assertThat(server.requestIds.get("/ok")).isEqualTo("cid-async");
    assertThat(kit.instrumentationErrors().count("http-client")).isZero();
  }

  @Test
  void aFollowedRedirectIsOneCallWithTheFinalStatus() throws Throwable {
    try (CloseableHttpAsyncClient c = client(10_000)) {
      MDC.put(HttpNames.MDC_CORRELATION_ID, "cid-redirect");
      assertThat(call(c, get(port, "/redirect")).getCode()).isEqualTo(200);
    }
    server.assertOneTracedCallFollowedTheRedirect(scrape(), spans, "cid-redirect");
  }

  @Test
  void aRequestBodyIsSentUnchanged() throws Throwable {
    try (CloseableHttpAsyncClient c = client(10_000)) {
      SimpleHttpRequest post = SimpleRequestBuilder.post("http://127.0.0.1:" + port + "/post")
          .setBody("{\"a\":1}", ContentType.APPLICATION_JSON).build();
      assertThat(call(c, post).getCode()).isEqualTo(200);
    }
    assertThat(server.bodies.get("/post")).isEqualTo("{\"a\":1}");
    assertThat(sum(scrape(), HttpNames.CLIENT_DURATION + "_count", "http_request_method=POST",
        "http_response_status_code=200")).isEqualTo(1);
  }

  @Test
  void clientAndServerErrorsAreErrorTypes() throws Throwable {
    try (CloseableHttpAsyncClient c = client(10_000)) {
      assertThat(call(c, get(port, "/404")).getCode()).isEqualTo(404);
      assertThat(call(c, get(port, "/503")).getCode()).isEqualTo(503);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code=404",
        "error_type=404")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code=503",
        "error_type=503")).isEqualTo(1);
    assertThat(spans.getFinishedSpanItems()).hasSize(2).allSatisfy(
        sp -> assertThat(sp.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    assertThat(server.requestIds.get("/404")).isEqualTo("(none)");
  }

  @Test
  void connectionRefusedIsRecordedAndReported() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (CloseableHttpAsyncClient c = client(10_000)) {
      assertThatThrownBy(() -> call(c, get(closed, "/x")))
          .isInstanceOf(java.net.ConnectException.class);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "server_port=" + closed,
        "http_response_status_code=")).isEqualTo(1);
    assertThat(Metrics.series(s, HttpNames.CLIENT_DURATION + "_count", "server_port=" + closed,
        "error_type=")).isEmpty();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void responseTimeoutIsRecordedWithItsExceptionClass() throws Exception {
    try (CloseableHttpAsyncClient c = client(200)) {
      assertThatThrownBy(() -> call(c, get(port, "/slow/timeout")))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code=",
        "error_type=java.net.SocketTimeoutException")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void cancellingTheFutureRecordsOneCancelledCall() throws Throwable {
    try (CloseableHttpAsyncClient c = client(20_000)) {
      Future<SimpleHttpResponse> f = c.execute(get(port, "/slow/cancel"), null);
      awaitServerSaw("/slow/cancel");
      assertThat(f.cancel(true)).isTrue();
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
      Metrics.await("the cancelled call recorded", () -> sum(scrape(),
          HttpNames.CLIENT_DURATION + "_count") >= 1);
      // the exchange torn down after the cancel must not record a second outcome
      server.release();
      assertThat(call(c, get(port, "/after")).getCode()).isEqualTo(200);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code=",
        "error_type=java.util.concurrent.CancellationException")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count")).isEqualTo(2);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(2);
    assertThat(kit.instrumentationErrors().count("http-client")).isZero();
  }

  @Test
  void aCancelBeforeTheRequestIsSentIsRecordedOnce() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    // cancelled while the connection is being leased or opened: whichever step is running
    try (CloseableHttpAsyncClient c = client(10_000)) {
      Future<SimpleHttpResponse> f = c.execute(get(closed, "/x"), null);
      f.cancel(true);
      try {
        f.get(20, TimeUnit.SECONDS);
      } catch (CancellationException | ExecutionException | java.util.concurrent.TimeoutException
          | InterruptedException expected) {
        // either outcome is fine: the race decides; the record must be single
      }
      Metrics.await("the call recorded", () -> sum(scrape(),
          HttpNames.CLIENT_DURATION + "_count") >= 1);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count")).isEqualTo(1);
    assertThat(Metrics.series(s, HttpNames.CLIENT_DURATION + "_count", "error_type=")).isEmpty();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
  }

  @Test
  void aFailingPropagatorNeverFailsTheCall() throws Throwable {
    try (OpenTelemetrySdk brokenSdk = Fixtures.sdkWithFailingPropagator(spans)) {
      http = HttpTelemetry.builder(kit).openTelemetry(brokenSdk).build();
      try (CloseableHttpAsyncClient c = client(10_000)) {
        assertThat(call(c, get(port, "/ok")).getCode()).isEqualTo(200);
      }
    }
    assertThat(kit.instrumentationErrors().count("http-client")).isEqualTo(1);
    assertThat(sum(scrape(), HttpNames.CLIENT_DURATION + "_count",
        "http_response_status_code=200")).isEqualTo(1);
  }
}
