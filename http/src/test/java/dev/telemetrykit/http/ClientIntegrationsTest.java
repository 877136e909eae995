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
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** OkHttp 5 and Apache HttpClient 5 against a real JDK server on loopback. */
class ClientIntegrationsTest {

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

  /** One client under test, behind the same small interface. */
  private interface Client extends AutoCloseable {
    int get(int port, String path) throws Exception;

    /** Starts a GET to /slow and cancels it once the server has it; returns the failure. */
    Throwable getAndCancel(int port) throws Exception;

    @Override
    void close() throws IOException;
  }

  private Client client(String kind, long readTimeoutMillis) {
    if (kind.equals("okhttp")) {
      OkHttpClient ok = OkHttpTelemetry.wrap(http, new OkHttpClient.Builder()
          .readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS).retryOnConnectionFailure(false)
          .build());
      return new Client() {
        @Override
        public int get(int port, String path) throws Exception {
          try (Response r = ok.newCall(new Request.Builder()
              .url("http://127.0.0.1:" + port + path).build()).execute()) {
            return r.code();
          }
        }

        @Override
        public Throwable getAndCancel(int port) throws Exception {
          Call call = ok.newCall(new Request.Builder()
              .url("http://127.0.0.1:" + port + "/slow/cancel").build());
          Thread canceller = new Thread(() -> {
            awaitServerSaw("/slow/cancel");
            call.cancel();
          });
          canceller.start();
          try {
            call.execute().close();
            return null;
          } catch (IOException e) {
            return e;
          } finally {
            canceller.join(20_000);
          }
        }

        @Override
        public void close() {
          ok.dispatcher().executorService().shutdown();
          ok.connectionPool().evictAll();
        }
      };
    }
    CloseableHttpClient apache = ApacheHttpClientTelemetry.instrument(http, HttpClients.custom()
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMillis)).build())
        .disableAutomaticRetries()).build();
    return new Client() {
      @Override
      public int get(int port, String path) throws Exception {
        return apache.execute(new HttpGet("http://127.0.0.1:" + port + path), r -> r.getCode());
      }

      @Override
      public Throwable getAndCancel(int port) throws Exception {
        HttpGet get = new HttpGet("http://127.0.0.1:" + port + "/slow/cancel");
        Thread canceller = new Thread(() -> {
          awaitServerSaw("/slow/cancel");
          get.cancel();
        });
        canceller.start();
        try {
          apache.execute(get, r -> r.getCode());
          return null;
        } catch (Exception e) {
          return e;
        } finally {
          canceller.join(20_000);
        }
      }

      @Override
      public void close() throws IOException {
        apache.close();
      }
    };
  }

  private void awaitServerSaw(String path) {
    Metrics.await("server saw " + path, () -> server.traceparents.containsKey(path));
  }

  private String scrape() {
    return Scrapes.text(kit.metricsPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void successCarriesTraceparentAndCorrelationIdToTheServer(String kind) throws Exception {
    try (Client c = client(kind, 10_000)) {
      MDC.put(HttpNames.MDC_CORRELATION_ID, "cid-" + kind);
      assertThat(c.get(port, "/ok")).isEqualTo(200);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=GET",
        "http_response_status_code=200", "server_address=127.0.0.1", "server_port=" + port,
        "url_scheme=http", "error_type=")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(server.traceparents.get("/ok"))
        .startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
    assertThat(server.requestIds.get("/ok")).isEqualTo("cid-" + kind);
    assertThat(kit.instrumentationErrors().count("http-client")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void aFollowedRedirectIsOneCallAndBothHopsCarryTheTraceparent(String kind) throws Exception {
    try (Client c = client(kind, 10_000)) {
      MDC.put(HttpNames.MDC_CORRELATION_ID, "cid-redirect");
      assertThat(c.get(port, "/redirect")).isEqualTo(200);
    }
    server.assertOneTracedCallFollowedTheRedirect(scrape(), spans, "cid-redirect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void clientAndServerErrorsAreErrorTypes(String kind) throws Exception {
    try (Client c = client(kind, 10_000)) {
      assertThat(c.get(port, "/404")).isEqualTo(404);
      assertThat(c.get(port, "/503")).isEqualTo(503);
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

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void connectionRefusedIsRecordedAndRethrown(String kind) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (Client c = client(kind, 10_000)) {
      assertThatThrownBy(() -> c.get(closed, "/x")).isInstanceOf(java.net.ConnectException.class);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "server_port=" + closed,
        "http_response_status_code=")).isEqualTo(1);
    assertThat(Metrics.series(s, HttpNames.CLIENT_DURATION + "_count", "server_port=" + closed,
        "error_type=")).isEmpty();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void timeoutIsRecordedWithItsExceptionClass(String kind) throws Exception {
    try (Client c = client(kind, 200)) {
      assertThatThrownBy(() -> c.get(port, "/slow/timeout"))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count",
        "error_type=java.net.SocketTimeoutException")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void cancellationIsRecordedAndTheGaugeReturnsToZero(String kind) throws Exception {
    Throwable failure;
    try (Client c = client(kind, 20_000)) {
      failure = c.getAndCancel(port);
    }
    assertThat(failure).isNotNull();
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_response_status_code="))
        .isEqualTo(1);
    assertThat(Metrics.series(s, HttpNames.CLIENT_DURATION + "_count", "error_type="))
        .isEmpty();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "apache"})
  void aFailingPropagatorNeverFailsTheCall(String kind) throws Exception {
    try (OpenTelemetrySdk brokenSdk = Fixtures.sdkWithFailingPropagator(spans)) {
      http = HttpTelemetry.builder(kit).openTelemetry(brokenSdk).build();
      try (Client c = client(kind, 10_000)) {
        assertThat(c.get(port, "/ok")).isEqualTo(200);
      }
    }
    assertThat(kit.instrumentationErrors().count("http-client")).isEqualTo(1);
    assertThat(sum(scrape(), HttpNames.CLIENT_DURATION + "_count",
        "http_response_status_code=200")).isEqualTo(1);
  }
}
