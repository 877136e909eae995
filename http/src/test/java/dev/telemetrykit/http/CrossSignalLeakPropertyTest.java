package dev.telemetrykit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.core.testing.SecretArbitraries;
import dev.telemetrykit.tracing.TracingModule;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Generated secrets of every detector kind sent the way an attacker would — request path,
 * query string, User-Agent, Authorization, Cookie and a custom header, a JSON body the handler
 * puts into a span attribute, an exception message and a metric label value — appear neither in
 * the text nor the OpenMetrics scrape nor in the OTLP requests a real OTLP/HTTP receiver on
 * loopback gets (the raw protobuf bytes, where strings are stored verbatim).
 */
class CrossSignalLeakPropertyTest {

  /** One secret and the text that must never leave the process. */
  record Secret(String text, String mustNotLeak) {}

  private static Env env;

  static final class Env implements AutoCloseable {
    final List<byte[]> otlp = new CopyOnWriteArrayList<>();
    final HttpServer receiver;
    final HttpServer app;
    final TelemetryKit kit;
    final GuardedCounter byCustomer;
    final HttpClient client = HttpClient.newHttpClient();

    Env() throws IOException {
      receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      receiver.createContext("/v1/traces", exchange -> {
        try (exchange) {
          otlp.add(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
        }
      });
      receiver.start();
      kit = Fixtures.kit().modules(new TracingModule())
          .setting("OTEL_EXPORTER_OTLP_ENDPOINT",
              "http://127.0.0.1:" + receiver.getAddress().getPort())
          .setting("OTEL_BSP_SCHEDULE_DELAY", "10").start();
      byCustomer = kit.meters().counter("orders_by_customer_total").help("Orders by customer")
          .labelNames("customer").register();
      HttpTelemetry http = HttpTelemetry.builder(kit).build();
      app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      app.createContext("/", this::handle).getFilters().add(http.jdkServerFilter());
      app.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String query = exchange.getRequestURI().getQuery();
      String customer = query == null ? "none" : query.substring(query.indexOf('=') + 1);
      byCustomer.labelValues(customer).inc();
      Span user = GlobalOpenTelemetry.getTracer("orders").spanBuilder("handle order").startSpan();
      user.setAttribute("order.body", body);
      user.setAttribute("order.customer", customer);
      user.recordException(new IllegalArgumentException("bad order " + body));
      user.end();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    }

    void flush() {
      ((OpenTelemetrySdk) kit.module(TracingModule.class).orElseThrow().openTelemetry())
          .getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      app.stop(0);
      kit.close();
      receiver.stop(0);
    }
  }

  @AfterContainer
  static void stop() {
    if (env != null) {
      env.close();
      env = null;
    }
  }

  @Property(tries = 40)
  void noGeneratedSecretLeavesInAnySignal(@ForAll("secrets") Secret secret) throws Exception {
    if (env == null) {
      env = new Env();
    }
    String s = secret.text();
    String q = URLEncoder.encode("cust " + s, StandardCharsets.UTF_8).replace("+", "%20");
    String pathSafe = s.replace(" ", "%20");
    URI uri = URI.create("http://127.0.0.1:" + env.app.getAddress().getPort() + "/orders/"
        + pathSafe + "?customer=" + q);
    HttpResponse<Void> r = env.client.send(HttpRequest.newBuilder(uri)
        .header("User-Agent", "x " + s)
        .header("Authorization", "Bearer " + s)
        .header("Cookie", "SESSION=" + s)
        .header("X-Custom-Note", s)
        .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"cust " + s + "\"}"))
        .build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    env.flush();

    String leak = secret.mustNotLeak();
    for (String accept : new String[] {Scrapes.TEXT, Scrapes.OPENMETRICS}) {
      String scrape = new String(Scrapes.get(env.kit.metricsPort(), "/metrics", accept).body(),
          StandardCharsets.UTF_8);
      assertThat(scrape).as("scrape (%s) leaks %s", accept, leak).doesNotContain(leak);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] b : env.otlp) {
      all.write(b);
    }
    assertThat(env.otlp).as("spans received").isNotEmpty();
    assertThat(all.toString(StandardCharsets.ISO_8859_1)).as("OTLP spans leak %s", leak)
        .doesNotContain(leak);
  }

  @Provide
  Arbitrary<Secret> secrets() {
    StringArbitrary upperDigits = Arbitraries.strings().withCharRange('A', 'Z')
        .withCharRange('0', '9');
    StringArbitrary alnum = Arbitraries.strings().alpha().numeric();
    StringArbitrary b64 = Arbitraries.strings().alpha().numeric().withChars('-', '_');
    Arbitrary<Secret> aws = upperDigits.ofLength(16).map(x -> "AKIA" + x)
        .map(x -> new Secret(x, x));
    Arbitrary<Secret> card = Arbitraries.strings().numeric().ofLength(15)
        .map(x -> SecretArbitraries.withLuhnCheckDigit("4" + x.substring(1)))
        .map(x -> new Secret(x, x));
    Arbitrary<Secret> stripe = alnum.ofMinLength(24).ofMaxLength(40).map(x -> "sk_live_" + x)
        .map(x -> new Secret(x, x));
    Arbitrary<Secret> github = alnum.ofLength(36).map(x -> "ghp_" + x).map(x -> new Secret(x, x));
    Arbitrary<Secret> jwt = Combinators.combine(b64.ofMinLength(12).ofMaxLength(30),
            b64.ofMinLength(12).ofMaxLength(30), b64.ofMinLength(12).ofMaxLength(40))
        .as((a, b, c) -> "eyJ" + a + ".eyJ" + b + "." + c).map(x -> new Secret(x, x));
    Arbitrary<Secret> password = alnum.ofMinLength(12).ofMaxLength(20)
        .map(x -> new Secret("password=" + x, x));
    return Arbitraries.oneOf(aws, card, stripe, github, jwt, password);
  }
}
