package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.await;
import static dev.telemetrykit.http.Metrics.series;
import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JdkServerFilterTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = Fixtures.sdk(spans);
  /** One worker thread, so "the worker thread afterwards" is a thread we can ask. */
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  /** MDC correlation ID each handler call saw, by path. */
  private final Map<String, String> seenIds = new ConcurrentHashMap<>();
  private volatile CountDownLatch release = new CountDownLatch(0);
  private TelemetryKit kit;
  private HttpServer server;
  private HttpClient client;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    worker.shutdownNow();
    if (kit != null) {
      kit.close();
    }
    sdk.close();
  }

  /**
   * Requests the handler ran. Under load the JDK HttpClient retries a GET whose keep-alive
   * connection was reset after the server had answered it, so the server can see (and record)
   * more requests than the client sent; counts are compared with this, not with the sends.
   */
  private final java.util.concurrent.atomic.AtomicInteger handled =
      new java.util.concurrent.atomic.AtomicInteger();

  private HttpTelemetry start(TelemetryKit.Builder kitBuilder,
      java.util.function.UnaryOperator<HttpTelemetry.Builder> options) throws IOException {
    kit = kitBuilder.start();
    HttpTelemetry http = options.apply(HttpTelemetry.builder(kit)).build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(worker);
    server.createContext("/", this::handle).getFilters().add(http.jdkServerFilter());
    server.start();
    client = http.wrap(HttpClient.newHttpClient());
    return http;
  }

  /** With tracing, and with echoing on (off by default), so the tests can read the ID back. */
  private HttpTelemetry startWithTracing(String... routes) throws IOException {
    return start(Fixtures.kit().setting(HttpNames.SETTING_CORRELATION_ECHO, "true"),
        b -> b.routes(routes).openTelemetry(sdk));
  }

  private void handle(HttpExchange exchange) throws IOException {
    handled.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    String id = MDC.get(HttpNames.MDC_CORRELATION_ID);
    seenIds.put(path, id == null ? "(none)" : id);
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    if (path.startsWith("/fail")) {
      throw new IllegalStateException("application failure");
    }
    if (path.startsWith("/slow")) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (path.startsWith("/sleep")) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int status = path.startsWith("/unavailable") ? 503 : path.startsWith("/x/") ? 404 : 200;
    byte[] body = ("seen " + requestBody.length + " bytes at " + path)
        .getBytes(StandardCharsets.UTF_8);
    if (path.startsWith("/chunked")) {
      exchange.sendResponseHeaders(status, 0);
    } else {
      exchange.sendResponseHeaders(status, body.length);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST, so the JDK client does not retry when the server drops the connection. */
  private HttpResponse<String> postFail() throws Exception {
    return client.send(HttpRequest.newBuilder(uri("/fail"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until the server recorded {@code n} requests: the filter records after the handler
   * returns, which can be just after the client already has its response.
   */
  private String scrapeAfter(int n) {
    double[] last = {0};
    await(n + " requests recorded", () -> {
      last[0] = sum(scrape(), HttpNames.SERVER_DURATION + "_count");
      return last[0] >= n;
    });
    String s = scrape();
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count")).as("requests recorded").isEqualTo(n);
    return s;
  }

  private String scrape() {
    return Scrapes.text(kit.metricsPort());
  }

  @Test
  void countsRequestsPerRouteStatusAndMethodWithBodySizes() throws Exception {
    startWithTracing("/orders/{id}", "/customers/{id}/orders");
    for (int i = 1; i <= 3; i++) {
      assertThat(get("/orders/" + i).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/7"))
              .POST(HttpRequest.BodyPublishers.ofString("hello world")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("seen 11 bytes at /orders/7");
    }
    assertThat(get("/customers/5/orders/").statusCode()).isEqualTo(200);
    assertThat(get("/unavailable").statusCode()).isEqualTo(503);

    String s = scrapeAfter(7);
    String d = HttpNames.SERVER_DURATION + "_count";
    assertThat(sum(s, d, "http_request_method=GET", "http_route=/orders/{id}",
        "http_response_status_code=200", "url_scheme=http", "error_type=")).isEqualTo(3);
    assertThat(sum(s, d, "http_request_method=POST", "http_route=/orders/{id}")).isEqualTo(2);
    assertThat(sum(s, d, "http_route=/customers/{id}/orders")).isEqualTo(1);
    assertThat(sum(s, d, "http_route=_OTHER", "http_response_status_code=503",
        "error_type=503")).isEqualTo(1);
    assertThat(sum(s, d)).isEqualTo(7);
    assertThat(series(s, d, "http_route=/orders/1")).isEmpty();

    String req = HttpNames.SERVER_REQUEST_BODY_SIZE;
    assertThat(sum(s, req + "_count", "http_request_method=POST")).isEqualTo(2);
    assertThat(sum(s, req + "_sum", "http_request_method=POST")).isEqualTo(22);
    String resp = HttpNames.SERVER_RESPONSE_BODY_SIZE;
    assertThat(sum(s, resp + "_sum", "http_request_method=POST"))
        .isEqualTo(2 * "seen 11 bytes at /orders/7".length());
    assertThat(sum(s, resp + "_count")).isEqualTo(7);
    assertThat(sum(s, HttpNames.SERVER_ACTIVE)).isZero();

    String c = HttpNames.CLIENT_DURATION + "_count";
    assertThat(sum(s, c, "http_request_method=GET", "server_address=127.0.0.1",
        "server_port=" + server.getAddress().getPort(), "http_response_status_code=200",
        "url_scheme=http", "error_type=")).isEqualTo(4);
    assertThat(sum(s, c, "http_response_status_code=503", "error_type=503")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();

    Promtool.Result lint = Promtool.checkMetrics(s);
    assertThat(lint.output).as("promtool check metrics").isEmpty();
    assertThat(lint.exitCode).isZero();
  }

  @Test
  void durationSumLiesWithinWhatTheClientMeasured() throws Exception {
    startWithTracing("/sleep");
    long clientNanos = 0;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      get("/sleep");
      clientNanos += System.nanoTime() - t0;
    }
    double serverSum =
        sum(scrapeAfter(5), HttpNames.SERVER_DURATION + "_sum", "http_route=/sleep");
    assertThat(serverSum).isGreaterThanOrEqualTo(5 * 0.020).isLessThanOrEqualTo(clientNanos / 1e9);
    double clientSum = sum(scrape(), HttpNames.CLIENT_DURATION + "_sum");
    assertThat(clientSum).isGreaterThanOrEqualTo(serverSum).isLessThanOrEqualTo(clientNanos / 1e9);
  }

  @Test
  void chunkedResponsesRecordTheBytesWritten() throws Exception {
    startWithTracing();
    String body = get("/chunked/1").body();
    assertThat(body).isEqualTo("seen 0 bytes at /chunked/1");
    String s = scrapeAfter(1);
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count", "http_route=/chunked/{id}"))
        .isEqualTo(1);
    assertThat(sum(s, HttpNames.SERVER_RESPONSE_BODY_SIZE + "_count", "http_route=/chunked/{id}"))
        .isEqualTo(1);
    assertThat(sum(s, HttpNames.SERVER_RESPONSE_BODY_SIZE + "_sum", "http_route=/chunked/{id}"))
        .isEqualTo(body.length());
  }

  @Test
  void byDefaultTheIdIsKeptButNotSentBack() throws Exception {
    start(Fixtures.kit(), b -> b.routes("/orders/{id}"));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/1"))
        .header("X-Request-ID", "caller-7").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
    assertThat(seenIds).containsEntry("/orders/1", "caller-7");

    r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/orders/2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
    assertThat(seenIds.get("/orders/2")).matches("[0-9a-f]{32}");
    assertThat(sum(scrape(), HttpNames.SERVER_DURATION + "_count")).isEqualTo(2);
  }

  @Test
  void withEchoTurnedOffTheIdIsNotSentBackEither() throws Exception {
    start(Fixtures.kit().setting(HttpNames.SETTING_CORRELATION_ECHO, "false"),
        b -> b.routes("/orders/{id}"));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/1"))
        .header("X-Request-ID", "caller-6").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
    assertThat(seenIds).containsEntry("/orders/1", "caller-6");
  }

  @Test
  void theBuilderWinsOverTheEchoSettingAndABadValueNamesTheSetting() throws Exception {
    start(Fixtures.kit().setting(HttpNames.SETTING_CORRELATION_ECHO, "true"),
        b -> b.echoCorrelationId(false));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/1"))
        .header("X-Request-ID", "caller-8").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
    assertThat(seenIds).containsEntry("/orders/1", "caller-8");
    assertThatThrownBy(() -> HttpTelemetry.builder(kit).echoCorrelationId(true)
        .echoCorrelationId(false)).isInstanceOf(IllegalStateException.class);
    kit.close();

    kit = Fixtures.kit().setting(HttpNames.SETTING_CORRELATION_ECHO, "sometimes").start();
    assertThatThrownBy(() -> HttpTelemetry.create(kit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(HttpNames.SETTING_CORRELATION_ECHO)
        .hasMessageContaining("sometimes")
        .hasMessageContaining("true or false");
  }

  @Test
  void correlationIdRoundTripsAndLeavesTheWorkerMdcClean() throws Exception {
    startWithTracing("/orders/{id}");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/1"))
        .header("X-Request-ID", "abc-123_ok.@+/=:").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Request-ID")).hasValue("abc-123_ok.@+/=:");
    assertThat(seenIds).containsEntry("/orders/1", "abc-123_ok.@+/=:");
    assertThat(worker.submit(() -> MDC.get(HttpNames.MDC_CORRELATION_ID)).get()).isNull();

    r = client.send(HttpRequest.newBuilder(uri("/orders/2"))
        .header("X-Correlation-ID", "from-gateway").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue("from-gateway");
    assertThat(seenIds).containsEntry("/orders/2", "from-gateway");

    r = get("/orders/3");
    String generated = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(generated).matches("[0-9a-f]{32}");
    assertThat(seenIds).containsEntry("/orders/3", generated);
    assertThat(worker.submit(() -> MDC.get(HttpNames.MDC_CORRELATION_ID)).get()).isNull();

    // The filter ran on the worker thread; a failing handler must not leave its ID behind.
    assertThatThrownBy(() -> postFail()).isInstanceOf(IOException.class);
    await("failure recorded", () -> sum(scrape(), HttpNames.SERVER_DURATION + "_count",
        "error_type=java.lang.IllegalStateException") == 1);
    assertThat(seenIds.get("/fail")).matches("[0-9a-f]{32}");
    assertThat(worker.submit(() -> MDC.get(HttpNames.MDC_CORRELATION_ID)).get()).isNull();
  }

  @Test
  void clientForwardsTheCurrentCorrelationId() throws Exception {
    startWithTracing("/orders/{id}");
    MDC.put(HttpNames.MDC_CORRELATION_ID, "caller-42");
    try {
      HttpResponse<String> r = get("/orders/9");
      assertThat(r.headers().firstValue("X-Request-ID")).hasValue("caller-42");
      assertThat(seenIds).containsEntry("/orders/9", "caller-42");
    } finally {
      MDC.remove(HttpNames.MDC_CORRELATION_ID);
    }
  }

  @Test
  void hostileRequestIdsAreReplacedNeverEchoedNorPutInTheMdc() throws Exception {
    startWithTracing("/orders/{id}");
    int port = server.getAddress().getPort();
    List<byte[]> hostile = List.of(
        "\"quoted\"".getBytes(StandardCharsets.ISO_8859_1),
        "<script>alert(1)</script>".getBytes(StandardCharsets.ISO_8859_1),
        "x".repeat(10 * 1024).getBytes(StandardCharsets.ISO_8859_1),
        "bücher-ñ-日本".getBytes(StandardCharsets.UTF_8),
        "has space".getBytes(StandardCharsets.ISO_8859_1),
        "a".repeat(201).getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] value : hostile) {
      seenIds.clear();
      String response = Fixtures.rawRequest(port, "X-Request-ID", value);
      assertThat(response).startsWith("HTTP/1.1 200");
      String echoed = Fixtures.header(response, "X-Request-ID");
      assertThat(echoed).matches("[0-9a-f]{32}");
      assertThat(seenIds).containsEntry("/orders/1", echoed);
      assertThat(response).doesNotContain("quoted")
          .doesNotContain("script").doesNotContain("xxxxxxxxxx").doesNotContain("has space");
    }
    // The longest valid ID (200 characters) is kept.
    String longest = "a".repeat(200);
    String response = Fixtures.rawRequest(port, "X-Request-ID",
        longest.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(Fixtures.header(response, "X-Request-ID")).isEqualTo(longest);
  }

  @Test
  void unknownMethodsAreRecordedAsOther() throws Exception {
    startWithTracing("/orders/{id}");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/orders/1"))
        .method("FOO", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    String s = scrapeAfter(1);
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count", "http_request_method=_OTHER",
        "http_route=/orders/{id}")).isEqualTo(1);
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "http_request_method=_OTHER"))
        .isEqualTo(1);
    assertThat(s).doesNotContain("FOO");
    await("server span", () -> serverSpans().size() == 1);
    SpanData serverSpan = serverSpans().get(0);
    assertThat(serverSpan.getName()).isEqualTo("HTTP /orders/{id}");
    assertThat(serverSpan.getAttributes().get(AttributeKey.stringKey(
        "http.request.method_original"))).isEqualTo("FOO");
  }

  @Test
  void applicationExceptionsAreRecordedAndTheGaugeReturnsToZero() throws Exception {
    startWithTracing("/fail");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> postFail()).isInstanceOf(IOException.class);
    }
    await("3 failures recorded", () -> sum(scrape(), HttpNames.SERVER_DURATION + "_count",
        "http_route=/fail", "error_type=java.lang.IllegalStateException") == 3);
    String s = scrape();
    assertThat(sum(s, HttpNames.SERVER_ACTIVE)).isZero();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count", "error_type=java.io.IOException"))
        .isEqualTo(3);
    assertThat(kit.instrumentationErrors().count("http-server")).isZero();
    await("server spans", () -> serverSpans().size() == 3);
    SpanData span = serverSpans().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getEvents()).anyMatch(e -> e.getName().equals("exception"));
  }

  @Test
  void inFlightGaugesReturnToZeroAfterClientTimeoutAndCancel() throws Exception {
    startWithTracing("/slow");
    release = new CountDownLatch(1);
    HttpRequest slow = HttpRequest.newBuilder(uri("/slow")).timeout(Duration.ofMillis(300))
        .build();
    assertThatThrownBy(() -> client.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    String s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count",
        "error_type=java.net.http.HttpTimeoutException")).isEqualTo(1);
    await("server still busy", () -> sum(scrape(), HttpNames.SERVER_ACTIVE,
        "http_request_method=GET") == 1);
    release.countDown();
    await("server request finished", () -> sum(scrape(), HttpNames.SERVER_ACTIVE) == 0);

    release = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
        HttpRequest.newBuilder(uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    await("request in flight", () -> sum(scrape(), HttpNames.SERVER_ACTIVE) == 1);
    assertThat(sum(scrape(), HttpNames.CLIENT_ACTIVE)).isEqualTo(1);
    assertThat(pending.cancel(true)).isTrue();
    assertThatThrownBy(pending::join).isInstanceOf(CancellationException.class);
    s = scrape();
    assertThat(sum(s, HttpNames.CLIENT_ACTIVE)).isZero();
    assertThat(sum(s, HttpNames.CLIENT_DURATION + "_count",
        "error_type=java.util.concurrent.CancellationException")).isEqualTo(1);
    release.countDown();
    await("server request finished", () -> sum(scrape(), HttpNames.SERVER_ACTIVE) == 0);
  }

  @Test
  void tenThousandUnknownPathsAddOneSeriesWhenTemplatesAreRegistered() throws Exception {
    startWithTracing("/orders/{id}");
    sendToUniquePaths(10_000);
    int n = handled.get();
    assertThat(n).isGreaterThanOrEqualTo(10_000);
    String s = scrapeAfter(n);
    List<String> duration = series(s, HttpNames.SERVER_DURATION + "_count");
    assertThat(duration).hasSize(1);
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count", "http_route=_OTHER",
        "http_response_status_code=404")).isEqualTo(n);
    assertThat(sum(s, "telemetrykit_cardinality_overflow_total")).isZero();
  }

  @Test
  void tenThousandUnknownPathsStopAtTheCardinalityLimitWithoutTemplates() throws Exception {
    start(Fixtures.kit().cardinalityLimit(100), b -> b.openTelemetry(sdk));
    sendToUniquePaths(10_000);
    int n = handled.get();
    assertThat(n).isGreaterThanOrEqualTo(10_000);
    String s = scrapeAfter(n);
    List<String> duration = series(s, HttpNames.SERVER_DURATION + "_count");
    assertThat(duration).hasSize(101);
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count", "http_route=_OTHER"))
        .isEqualTo(n - 100);
    assertThat(sum(s, "telemetrykit_cardinality_overflow_total",
        "metric=" + HttpNames.SERVER_DURATION)).isEqualTo(n - 100);
    assertThat(sum(s, HttpNames.SERVER_DURATION + "_count")).isEqualTo(n);
  }

  /** GET /x/{unique letters-only word} n times over 4 keep-alive connections. */
  private void sendToUniquePaths(int n) throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        futures.add(senders.submit(() -> {
          for (int i = first; i < n; i += 4) {
            HttpResponse<Void> r = plain.send(HttpRequest.newBuilder(uri("/x/" + word(i)))
                .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(404);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }
  }

  private static String word(int i) {
    StringBuilder b = new StringBuilder("w");
    do {
      b.append((char) ('a' + i % 26));
      i /= 26;
    } while (i > 0);
    return b.toString();
  }

  @Test
  void clientAndServerSpansShareOneTraceAsParentAndChild() throws Exception {
    startWithTracing("/orders/{id}");
    get("/orders/1");
    get("/unavailable");
    await("4 spans", () -> spans.getFinishedSpanItems().size() == 4);
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData server1 = all.stream().filter(x -> x.getKind() == SpanKind.SERVER
        && x.getName().equals("GET /orders/{id}")).findFirst().orElseThrow();
    SpanData client1 = all.stream().filter(x -> x.getKind() == SpanKind.CLIENT
        && x.getTraceId().equals(server1.getTraceId())).findFirst().orElseThrow();
    assertThat(server1.getParentSpanId()).isEqualTo(client1.getSpanId());
    assertThat(client1.getName()).isEqualTo("GET");
    assertThat(server1.getAttributes().get(AttributeKey.stringKey("http.route")))
        .isEqualTo("/orders/{id}");
    assertThat(server1.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);
    assertThat(server1.getAttributes().get(AttributeKey.stringKey("url.path")))
        .isEqualTo("/orders/1");
    assertThat(server1.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(client1.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo(uri("/orders/1").toString());

    SpanData server503 = all.stream().filter(x -> x.getKind() == SpanKind.SERVER
        && x.getName().equals("GET")).findFirst().orElseThrow();
    assertThat(server503.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server503.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("503");
    assertThat(server503.getTraceId()).isNotEqualTo(server1.getTraceId());
  }

  @Test
  void malformedTraceparentStartsANewTrace() throws Exception {
    startWithTracing("/orders/{id}");
    HttpClient plain = HttpClient.newHttpClient();
    for (String bad : List.of("00-zzzz-1234-01", "garbage",
        "00-00000000000000000000000000000000-0000000000000000-01", "x".repeat(5000))) {
      HttpResponse<String> r = plain.send(HttpRequest.newBuilder(uri("/orders/1"))
          .header("traceparent", bad).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    await("4 server spans", () -> serverSpans().size() == 4);
    for (SpanData span : serverSpans()) {
      assertThat(span.getSpanContext().isValid()).isTrue();
      assertThat(span.getParentSpanContext().isValid()).isFalse();
    }
    assertThat(serverSpans().stream().map(SpanData::getTraceId).distinct()).hasSize(4);
  }

  @Test
  void globalOpenTelemetryIsReadOnlyOnceSetAndNeverFixedToNoop() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    try {
      start(Fixtures.kit(), b -> b.routes("/orders/{id}"));
      assertThat(get("/orders/1").statusCode()).isEqualTo(200);
      assertThat(GlobalOpenTelemetry.isSet()).isFalse();
      assertThat(spans.getFinishedSpanItems()).isEmpty();

      GlobalOpenTelemetry.set(sdk);  // what the tracing module does at TelemetryKit.start
      // isSet() takes a global lock, so it is asked at most once per second, by the server
      // filter and by the test's instrumented client each on its own clock: within a second or
      // two a request is traced from the client through the server (bounded: 100 requests,
      // 50 ms apart). The first server span may come before the client's first span.
      for (int i = 0; i < 100 && !tracedFromClientToServer(); i++) {
        assertThat(get("/orders/2").statusCode()).isEqualTo(200);
        Thread.sleep(50);
      }
      // A server span shares its trace with the client span of the same request.
      await("a request traced from the client span to the server span",
          this::tracedFromClientToServer);
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }

  private boolean tracedFromClientToServer() {
    List<SpanData> all = spans.getFinishedSpanItems();
    return all.stream().filter(x -> x.getKind() == SpanKind.SERVER).anyMatch(server ->
        all.stream().anyMatch(x -> x.getKind() == SpanKind.CLIENT
            && x.getTraceId().equals(server.getTraceId())));
  }

  private List<SpanData> serverSpans() {
    return spans.getFinishedSpanItems().stream().filter(x -> x.getKind() == SpanKind.SERVER)
        .toList();
  }
}
