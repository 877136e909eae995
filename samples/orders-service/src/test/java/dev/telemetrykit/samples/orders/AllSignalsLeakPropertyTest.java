package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.telemetrykit.core.testing.Scrapes;
import dev.telemetrykit.core.testing.SecretArbitraries;
import dev.telemetrykit.core.testing.SecretArbitraries.Secret;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 14, where all signals meet: the orders sample (every module on, the HTTP access log
 * on, e-mail redaction on) runs as a child JVM, its stdout and stderr going to two files, its
 * spans and pushed metrics to a real OTLP/HTTP receiver on loopback. Each try sends one
 * generated secret (the detector kinds in turn, so 30 tries cover each of the 11 kinds two or
 * three times) the way an attacker or a careless caller would: request paths (routed and
 * unrouted), query strings, User-Agent, Authorization, Cookie, X-Request-ID and a custom
 * header, the X-API-Key and JSON body the sample logs and labels a metric with, and — through
 * {@link LeakProbeService}'s endpoint — JDBC SQL text (literals, a comment, a failing statement
 * whose driver message quotes the SQL), span attributes, status and an exception set by user
 * code, MDC, a custom metric label value and log arguments.
 *
 * <p>No form of the secret (as sent, its needle, percent-encoded) may appear in the text
 * scrape, the OpenMetrics scrape, the raw OTLP span and metric requests (protobuf stores strings
 * verbatim), stdout or stderr — checked for every secret sent so far, at every try and once
 * more after the service has shut down and flushed. Every try also waits for positive evidence
 * (the probe's span exported with its note masked and its SQL spans sanitised, its log line
 * written with the mask, its metric counted) so the test cannot pass on empty signals.
 *
 * <p>One child JVM for all tries; tries are bounded, every wait is bounded and generous, and
 * nothing is timed.
 */
class AllSignalsLeakPropertyTest {

  private static final String MASK = "****";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Env env;

  /** The receiver, the child service and what each signal has carried so far. */
  static final class Env implements AutoCloseable {
    final List<byte[]> traces = new CopyOnWriteArrayList<>();
    final List<byte[]> metrics = new CopyOnWriteArrayList<>();
    final List<Secret> sent = new ArrayList<>();
    final HttpServer receiver;
    final HttpClient client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10)).build();
    final Path dir;
    final Path stdout;
    final Path stderr;
    final int httpPort;
    final int metricsPort;
    final int probePort;
    final Process process;
    int tries;

    Env() throws Exception {
      receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      receiver.createContext("/v1/traces", exchange -> receive(exchange, traces));
      receiver.createContext("/v1/metrics", exchange -> receive(exchange, metrics));
      receiver.start();
      dir = Files.createDirectories(Path.of("target", "all-signals-leak"));
      stdout = dir.resolve("stdout.log");
      stderr = dir.resolve("stderr.log");
      httpPort = ServiceProcess.freePort();
      metricsPort = ServiceProcess.freePort();
      probePort = ServiceProcess.freePort();
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), LeakProbeService.class.getName());
      String otlp = "http://127.0.0.1:" + receiver.getAddress().getPort();
      pb.environment().put("ORDERS_PORT", Integer.toString(httpPort));
      pb.environment().put("PROBE_PORT", Integer.toString(probePort));
      pb.environment().put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort));
      pb.environment().put("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
      pb.environment().put("OTEL_SERVICE_NAME", "orders-service");
      pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
      pb.environment().put("OTEL_BSP_SCHEDULE_DELAY", "50");
      pb.environment().put("OTEL_METRICS_EXPORTER", "otlp");
      pb.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
      pb.environment().put("TELEMETRYKIT_REDACT_EMAILS", "true");
      pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      process = pb.start();
      awaitUp();
    }

    private static void receive(HttpExchange exchange, List<byte[]> into) throws IOException {
      try (exchange) {
        InputStream body = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(body);
        }
        into.add(body.readAllBytes());
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      }
    }

    private void awaitUp() throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("leak probe exited with " + process.exitValue() + ":\n"
              + Files.readString(stdout) + Files.readString(stderr));
        }
        try {
          if (status(get(metricsPort, "/health")) == 200 && status(get(httpPort, "/orders/1")) > 0
              && status(get(probePort, "/probe/up")) > 0) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(100);
      }
      throw new AssertionError("leak probe did not come up in " + WAIT + ":\n"
          + Files.readString(stdout) + Files.readString(stderr));
    }

    private HttpRequest get(int port, String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build();
    }

    private int status(HttpRequest request) throws IOException, InterruptedException {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends {@code request} with the secret in every header an attacker controls. */
    int send(HttpRequest.Builder request, Secret secret) throws Exception {
      String h = secret.oneLine();
      request.timeout(Duration.ofSeconds(30))
          .header("User-Agent", "x " + h)
          .header("Authorization", "Bearer " + h)
          .header("Cookie", "SESSION=" + h)
          .header("X-Request-ID", h)
          .header("X-Custom-Note", h);
      return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String stdout() throws IOException {
      return Files.readString(stdout);
    }

    String stderr() throws IOException {
      return Files.readString(stderr);
    }

    List<ExportTraceServiceRequest> traceRequests() throws IOException {
      List<ExportTraceServiceRequest> out = new ArrayList<>();
      for (byte[] b : traces) {
        out.add(ExportTraceServiceRequest.parseFrom(b));
      }
      return out;
    }

    /** Every signal as text; protobuf bytes as ISO-8859-1 so ASCII needles match verbatim. */
    List<String[]> signals() throws IOException {
      List<String[]> out = new ArrayList<>();
      if (process.isAlive()) {
        out.add(new String[] {"text scrape", scrape(Scrapes.TEXT)});
        out.add(new String[] {"OpenMetrics scrape", scrape(Scrapes.OPENMETRICS)});
      }
      out.add(new String[] {"OTLP spans", concat(traces)});
      out.add(new String[] {"OTLP metrics", concat(metrics)});
      out.add(new String[] {"stdout", stdout()});
      out.add(new String[] {"stderr", stderr()});
      return out;
    }

    String scrape(String accept) {
      HttpResponse<byte[]> r = Scrapes.get(metricsPort, "/metrics", accept);
      assertThat(r.statusCode()).as("GET /metrics (%s)", accept).isEqualTo(200);
      return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String concat(List<byte[]> requests) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] b : requests) {
        all.writeBytes(b);
      }
      return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** No secret sent so far shows in any signal, in any of its forms. */
    void assertNoLeak() throws IOException {
      for (String[] signal : signals()) {
        for (Secret s : sent) {
          for (String form : s.forms()) {
            if (signal[1].contains(form)) {
              throw new AssertionError(signal[0] + " leaks " + s + " (form '" + form + "'): "
                  + context(signal[0], signal[1], form) + "\noutput in " + dir);
            }
          }
        }
      }
    }

    /** Where a leak is: the span (decoded) or the text around it. */
    private String context(String signal, String text, String form) throws IOException {
      if (signal.equals("OTLP spans")) {
        for (ExportTraceServiceRequest r : traceRequests()) {
          for (ResourceSpans rs : r.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
                if (span.toString().contains(form)) {
                  return "in span of scope " + ss.getScope().getName() + ":\n" + span;
                }
              }
            }
          }
        }
      }
      int at = text.indexOf(form);
      return "..." + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 300))
          + "...";
    }

    @Override
    public void close() throws Exception {
      process.destroy();   // SIGTERM: the shutdown hook flushes spans and stops TelemetryKit
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      receiver.stop(0);
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    env = new Env();
  }

  @AfterContainer
  static void stop() throws Exception {
    if (env == null) {
      return;
    }
    Env e = env;
    env = null;
    e.close();
    // What the service flushed on its way out (last spans, shutdown logs) is checked too.
    e.assertNoLeak();
    // The pushed metrics carried the probe's counter (pushed every second, so checked once).
    assertThat(Env.concat(e.metrics)).as("OTLP metrics pushed").contains("probe_notes");
    assertThat(e.stderr()).as("stderr").isEmpty();
  }

  // No shrinking: what was sent stays sent (the outputs accumulate), so a smaller example
  // could not pass once one has leaked; the first failing secret is the report.
  @Property(tries = 30, shrinking = ShrinkingMode.OFF)
  void noSecretLeavesTheProcessInAnySignal(@ForAll("oneOfEachKind") List<Secret> secrets)
      throws Exception {
    // Each try generates a secret of every kind and sends one, kinds in turn: 30 tries cover
    // each of the 11 kinds two or three times, with fresh values each time.
    Secret secret = secrets.get(env.tries % secrets.size());
    String s = secret.text();
    String probeTry = "probe-try-" + (++env.tries);
    env.sent.add(secret);
    String api = "http://127.0.0.1:" + env.httpPort;

    ObjectNode order = Json.MAPPER.createObjectNode().put("customer", "cust " + s)
        .put("item", "item " + s).put("card", s).put("quantity", 2);
    int created = env.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
        .header("Content-Type", "application/json").header("X-API-Key", secret.oneLine())
        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(order))), secret);
    // 400 when a field is longer than the sample allows (PEM keys), 429 if the limiter says so.
    assertThat(created).as("POST /orders").isIn(201, 400, 429);
    String path = SecretArbitraries.urlEncode(s);
    assertThat(env.send(HttpRequest.newBuilder(URI.create(api + "/orders/" + path)), secret))
        .as("GET /orders/{secret}").isIn(400, 404);   // a card without separators is an id
    assertThat(env.send(HttpRequest.newBuilder(URI.create(api + "/" + path)), secret))
        .as("GET /{secret}, no route").isEqualTo(404);
    assertThat(env.send(HttpRequest.newBuilder(URI.create(api + "/orders?customer="
        + SecretArbitraries.urlEncode("cust " + s))), secret))
        .as("GET /orders?customer=").isEqualTo(200);
    ObjectNode note = Json.MAPPER.createObjectNode().put("note", s).put("try", probeTry);
    assertThat(env.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.probePort
            + "/probe/" + path + "?note=" + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(note))), secret))
        .as("POST /probe").isEqualTo(200);

    // Positive evidence first: each signal carried this try, masked.
    awaitTrue("the probe span of " + probeTry + " exported with its note masked and SQL spans",
        () -> probeSpanExported(probeTry));
    awaitTrue("the log line of " + probeTry + " written, masked",
        () -> logLineWritten(probeTry));
    awaitTrue("probe_notes_total counted " + env.tries + " notes",
        () -> probeNotesCounted() == env.tries);

    env.assertNoLeak();
    for (String line : completeLines(env.stdout())) {
      if (!line.isBlank()) {
        assertThat(parses(line)).as("stdout line is JSON: %s", line).isTrue();
      }
    }
  }

  /** The probe's own span arrived with the note masked, and the SQL spans of its trace with it. */
  private static boolean probeSpanExported(String probeTry) {
    try {
      for (ExportTraceServiceRequest r : env.traceRequests()) {
        for (ResourceSpans rs : r.getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
              if (probeTry.equals(attribute(span.getAttributesList(), "probe.try"))) {
                assertThat(attribute(span.getAttributesList(), "probe.note"))
                    .as("probe.note").contains(MASK);
                assertThat(attribute(span.getAttributesList(), "app.session_token"))
                    .as("app.session_token").isEqualTo(MASK);
                return sqlSpans(span.getTraceId()) >= 3;
              }
            }
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Spans of the trace carrying sanitised SQL text. */
  private static int sqlSpans(com.google.protobuf.ByteString traceId) throws IOException {
    int n = 0;
    for (ExportTraceServiceRequest r : env.traceRequests()) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
            String sql = attribute(span.getAttributesList(), "db.query.text");
            if (span.getTraceId().equals(traceId) && sql != null && sql.contains("note = ?")
                || span.getTraceId().equals(traceId) && sql != null && sql.startsWith("INSERT")) {
              n++;
            }
          }
        }
      }
    }
    return n;
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private static boolean logLineWritten(String probeTry) {
    try {
      for (String line : completeLines(env.stdout())) {
        if (line.contains(probeTry) && line.contains("stored note")) {
          JsonNode json = Json.MAPPER.readTree(line);
          assertThat(json.path("message").asText()).as(line).contains(MASK);
          assertThat(json.path("tenant").asText()).as("MDC tenant in %s", line).contains(MASK);
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long probeNotesCounted() {
    double sum = 0;
    for (String line : Scrapes.lines(env.scrape(Scrapes.TEXT), "probe_notes_total")) {
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return Math.round(sum);
  }

  /** The lines ended by a line break: the service may be writing the last one right now. */
  private static List<String> completeLines(String output) {
    int end = output.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(output.substring(0, end).split("\n"));
  }

  private static boolean parses(String line) {
    try {
      return Json.MAPPER.readTree(line).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within " + WAIT + ": " + what + "; output in "
            + env.dir);
      }
      Thread.sleep(50);
    }
  }

  @Provide
  Arbitrary<List<Secret>> oneOfEachKind() {
    return Combinators.combine(SecretArbitraries.everyKind(true)).as(kinds -> kinds);
  }
}
