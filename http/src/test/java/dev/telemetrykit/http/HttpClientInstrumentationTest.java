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
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class HttpClientInstrumentationTest {

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void connectionFailuresAreRecordedWithTheirErrorTypeSyncAndAsync() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = Fixtures.sdk(spans);
        TelemetryKit kit = Fixtures.kit().start()) {
      HttpClient client = HttpTelemetry.builder(kit).openTelemetry(sdk).build()
          .wrap(HttpClient.newHttpClient());
      int port = closedPort();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
          .build();
      assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .join()).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ConnectException.class);

      String s = Scrapes.text(kit.metricsPort());
      assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=GET",
          "server_address=127.0.0.1", "server_port=" + port, "http_response_status_code=",
          "error_type=java.net.ConnectException")).isEqualTo(2);
      assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
      assertThat(spans.getFinishedSpanItems()).hasSize(2).allSatisfy(span -> {
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      });
      assertThat(kit.instrumentationErrors().count("http-client")).isZero();
    }
  }

  @Test
  void eachCallIsRecordedOnceAsDestinationsAndStatusesRepeatAndPastTheCardinalityLimit()
      throws Exception {
    // The wrapper binds each destination's series once and reuses them; past the cardinality
    // limit (2 here) it keeps no more destinations, and every call must still count once.
    try (RecordingServer server = new RecordingServer();
        TelemetryKit kit = Fixtures.kit().cardinalityLimit(2).start()) {
      HttpClient client = HttpTelemetry.create(kit).wrap(HttpClient.newHttpClient());
      String base = "http://127.0.0.1:" + server.port;
      for (int i = 0; i < 3; i++) {
        client.send(HttpRequest.newBuilder(URI.create(base + "/ok")).build(),
            HttpResponse.BodyHandlers.discarding());
        client.send(HttpRequest.newBuilder(URI.create(base + "/404")).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      for (String method : new String[] {"POST", "PUT", "DELETE"}) {
        client.send(HttpRequest.newBuilder(URI.create(base + "/ok"))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
      }

      String s = Scrapes.text(kit.metricsPort());
      String[] destination = {"server_address=127.0.0.1", "server_port=" + server.port};
      assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=GET",
          destination[0], destination[1], "http_response_status_code=200", "error_type="))
          .isEqualTo(3);
      assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=GET",
          destination[0], destination[1], "http_response_status_code=404", "error_type=404"))
          .isEqualTo(3);
      // Nine calls in all, whichever series the guard folded the later ones into.
      assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count")).isEqualTo(9);
      assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
      assertThat(kit.instrumentationErrors().count("http-client")).isZero();
    }
  }

  @Test
  void wrappingTwiceReturnsTheSameClientAndDelegatesSettings() throws Exception {
    try (TelemetryKit kit = Fixtures.kit().start()) {
      HttpTelemetry http = HttpTelemetry.create(kit);
      HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      HttpClient wrapped = http.wrap(raw);
      assertThat(http.wrap(wrapped)).isSameAs(wrapped);
      assertThat(wrapped.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(wrapped.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
      assertThat(wrapped.sslContext()).isSameAs(raw.sslContext());
    }
  }

  @Test
  void builderFailsFastOnBadConfiguration() throws Exception {
    try (TelemetryKit kit = Fixtures.kit().start()) {
      assertThatThrownBy(() -> HttpTelemetry.builder(kit).routes("orders/{id}"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders/{id}");
      assertThatThrownBy(() -> HttpTelemetry.builder(kit).correlationHeaders("X Bad"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> HttpTelemetry.builder(kit).correlationHeaders("A")
          .correlationHeaders("B")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> HttpTelemetry.builder(null))
          .isInstanceOf(NullPointerException.class).hasMessage("telemetry");
    }
    try (TelemetryKit kit = Fixtures.kit()
        .setting(HttpNames.SETTING_CORRELATION_HEADERS, "X-Bad Header").start()) {
      assertThatThrownBy(() -> HttpTelemetry.create(kit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(HttpNames.SETTING_CORRELATION_HEADERS)
          .hasMessageContaining("X-Bad Header");
    }
  }
}
