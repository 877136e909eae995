package dev.telemetrykit.http;

import com.sun.net.httpserver.Filter;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.health.Health;
import dev.telemetrykit.core.health.HealthCheck;
import dev.telemetrykit.http.internal.AccessLog;
import dev.telemetrykit.http.internal.ClientInstrumenter;
import dev.telemetrykit.http.internal.Correlation;
import dev.telemetrykit.http.internal.InstrumentedHttpClient;
import dev.telemetrykit.http.internal.JdkServerFilter;
import dev.telemetrykit.http.internal.RouteMatcher;
import dev.telemetrykit.http.internal.ServerInstrumenter;
import dev.telemetrykit.http.internal.ServerMetrics;
import dev.telemetrykit.http.internal.Tracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * HTTP instrumentation: server filters for the JDK {@code HttpServer} and any Jakarta
 * Servlet 6 container, and a wrapper for {@link HttpClient}. Each records the metrics of
 * CONVENTIONS.md ({@code http_server_request_duration_seconds}, {@code
 * http_server_active_requests}, body sizes, {@code http_client_*}), keeps a correlation ID in
 * the SLF4J MDC as {@value HttpNames#MDC_CORRELATION_ID} for the request's duration, and makes
 * SERVER/CLIENT spans through the OpenTelemetry API.
 *
 * <pre>{@code
 * TelemetryKit telemetry = TelemetryKit.start("orders-service");
 * HttpTelemetry http = HttpTelemetry.builder(telemetry)
 *     .routes("/orders/{id}", "/customers/{id}/orders")
 *     .build();
 *
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/", handler).getFilters().add(http.jdkServerFilter());
 *
 * HttpClient client = http.wrap(HttpClient.newHttpClient());
 * }</pre>
 *
 * <p><b>Routes.</b> {@code http_route} is a registered template ({@code /orders/{id}}) when
 * one matches; the servlet filter otherwise uses the container's mapping pattern. A path
 * matching nothing is {@code _OTHER} when templates are registered, or the path with
 * identifier-like segments (numbers, UUIDs, long hex/base64) replaced by {@code {id}} when none
 * are. The core cardinality guard caps the series in every case.
 *
 * <p><b>Correlation IDs.</b> Read from {@code X-Request-ID}, else {@code X-Correlation-ID}
 * (see {@link Builder#correlationHeaders}); kept only if 1–200 characters of
 * {@code [A-Za-z0-9._@+/=:-]}, otherwise replaced by 32 random hex characters; put in the MDC
 * and the access log, and, when {@link Builder#echoCorrelationId} is on, echoed in the
 * response under the header it came in (a new one under the first header name). The client
 * forwards the MDC's ID in the first header name unless the request sets it.
 *
 * <p><b>Spans.</b> Through {@link Builder#openTelemetry} or, by default,
 * {@link GlobalOpenTelemetry} once it is set (the tracing module sets it at
 * {@code TelemetryKit.start}); until then, and with a no-op OpenTelemetry, no spans are made
 * and nothing is allocated for them. The global is never read before it is set, so it is
 * never fixed to a no-op by this module.
 *
 * <p><b>Failures.</b> Instrumentation never throws into the application: its own failures
 * count in {@code telemetrykit_instrumentation_errors_total{component="http-server"|
 * "http-client"}}. The application's exceptions are recorded ({@code error_type} = class
 * name) and rethrown unchanged; the response it wrote is not altered.
 *
 * <p>Immutable and thread-safe; the filters and clients it makes share its metrics.
 *
 * @since 0.1.0
 */
public final class HttpTelemetry {

  private final ServerInstrumenter server;
  private final ClientInstrumenter client;
  private final List<String> routes;

  private HttpTelemetry(Builder b) {
    Correlation correlation = new Correlation(b.correlationHeaders(), b.echoCorrelationId());
    Tracing tracing = new Tracing(b.openTelemetry, version());
    RouteMatcher matcher = b.routes.isEmpty() ? null : new RouteMatcher(b.routes);
    this.routes = List.copyOf(b.routes);
    this.server = new ServerInstrumenter(
        new ServerMetrics(b.telemetry.meters(), matcher), correlation, tracing,
        b.telemetry.instrumentationErrors(), AccessLog.fromSettings(b.telemetry.settings()));
    this.client = new ClientInstrumenter(b.telemetry.meters(), correlation, tracing);
  }

  /** HTTP instrumentation with defaults: no route templates (paths are normalised). */
  public static HttpTelemetry create(TelemetryKit telemetry) {
    return builder(telemetry).build();
  }

  /** A builder for route templates, correlation headers and the OpenTelemetry to use. */
  public static Builder builder(TelemetryKit telemetry) {
    return new Builder(Objects.requireNonNull(telemetry, "telemetry"));
  }

  /**
   * One line for the JDK server with defaults:
   * {@code context.getFilters().add(HttpTelemetry.jdkServerFilter(telemetry))}.
   */
  public static Filter jdkServerFilter(TelemetryKit telemetry) {
    return create(telemetry).jdkServerFilter();
  }

  /**
   * A health check of a downstream HTTP dependency: GET {@code uri} with a 2-second timeout
   * ({@link Health#DEFAULT_TIMEOUT}); UP on 2xx and 3xx (redirects are not followed), DOWN
   * on any other status or a connection failure.
   *
   * <pre>{@code
   * telemetry.health().register("payments",
   *     HttpTelemetry.healthCheck(URI.create("http://payments:8080/health/ready")));
   * }</pre>
   */
  public static HealthCheck healthCheck(URI uri) {
    return healthCheck(uri, Health.DEFAULT_TIMEOUT);
  }

  /** As {@link #healthCheck(URI)} with the request timeout; pass the registration's timeout. */
  public static HealthCheck healthCheck(URI uri, Duration timeout) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    // The reason names the dependency without query or user-info.
    String target = uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + (uri.getPath() == null ? "" : uri.getPath());
    return () -> {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return HealthCheck.Result.of(status >= 200 && status < 400,
          "GET " + target + " returned HTTP " + status);
    };
  }

  /** A filter for {@code com.sun.net.httpserver} contexts; add it first. */
  public Filter jdkServerFilter() {
    return new JdkServerFilter(server);
  }

  /**
   * A Jakarta Servlet 6 filter (needs {@code jakarta.servlet-api} on the class path, which
   * every container provides); map it to {@code /*} for {@code REQUEST} dispatches.
   */
  public TelemetryServletFilter servletFilter() {
    return new TelemetryServletFilter(server);
  }

  /** The client side shared by the OkHttp and Apache integrations. */
  ClientInstrumenter clientInstrumenter() {
    return client;
  }

  /**
   * The client, instrumented: {@code send} and {@code sendAsync} record
   * {@code http_client_request_duration_seconds} and {@code http_client_active_requests}, make
   * a CLIENT span with the context injected into the request headers, and forward the current
   * correlation ID. Everything else is delegated.
   */
  public HttpClient wrap(HttpClient httpClient) {
    Objects.requireNonNull(httpClient, "httpClient");
    if (httpClient instanceof InstrumentedHttpClient) {
      return httpClient;
    }
    return new InstrumentedHttpClient(httpClient, client);
  }

  /** The registered route templates, in registration order. */
  public List<String> routes() {
    return routes;
  }

  private static String version() {
    String v = HttpTelemetry.class.getPackage().getImplementationVersion();
    return v;
  }

  /**
   * Configures {@link HttpTelemetry}. Setting an option twice fails fast. Not thread-safe.
   *
   * <pre>{@code
   * HttpTelemetry http = HttpTelemetry.builder(telemetry)
   *     .routes("/orders/{id}", "/orders/{id}/items/{item}", "/static/{path*}")
   *     .correlationHeaders("X-Request-ID", "X-Amzn-Trace-Id")
   *     .openTelemetry(openTelemetry)       // default: GlobalOpenTelemetry, once set
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final TelemetryKit telemetry;
    private final LinkedHashSet<String> routes = new LinkedHashSet<>();
    private List<String> correlationHeaders;
    private Boolean echoCorrelationId;
    private OpenTelemetry openTelemetry;

    private Builder(TelemetryKit telemetry) {
      this.telemetry = telemetry;
    }

    /**
     * Adds route templates: literal segments, {@code {name}} for one segment, and a final
     * {@code {name*}} or {@code *} for the rest of the path. Literal segments win over
     * parameters. Call it as often as needed.
     *
     * @throws IllegalArgumentException for a malformed template (checked in {@link #build()}
     *     too, with all templates together)
     */
    public Builder routes(String... templates) {
      Objects.requireNonNull(templates, "templates");
      List<String> list = Arrays.asList(templates);
      new RouteMatcher(list); // fail fast on this call's templates
      routes.addAll(list);
      return this;
    }

    /**
     * Header names read for an incoming correlation ID, in order (default
     * {@code X-Request-ID}, {@code X-Correlation-ID}, or the setting
     * {@value HttpNames#SETTING_CORRELATION_HEADERS}). The first is echoed for a new ID and
     * sent by the client.
     */
    public Builder correlationHeaders(String... headerNames) {
      Objects.requireNonNull(headerNames, "headerNames");
      if (correlationHeaders != null) {
        throw new IllegalStateException("Correlation headers were already set");
      }
      List<String> list = new ArrayList<>(Arrays.asList(headerNames));
      new Correlation(list); // validate now
      this.correlationHeaders = List.copyOf(list);
      return this;
    }

    /**
     * Whether the server filters echo the correlation ID in the response (default
     * {@code false}, or the setting {@value HttpNames#SETTING_CORRELATION_ECHO}). Either way the
     * ID is read, generated, put in the MDC and the access log, and sent by the clients; with
     * {@code true} the response also carries it, so a caller that sent none can quote the
     * server's. Off by default: in a hello-world JDK server the header costs about 1 % of
     * throughput (see the http README), for a value most callers never read.
     */
    public Builder echoCorrelationId(boolean echo) {
      if (echoCorrelationId != null) {
        throw new IllegalStateException("Echoing the correlation ID was already set");
      }
      this.echoCorrelationId = echo;
      return this;
    }

    /** The OpenTelemetry for spans; default: {@link GlobalOpenTelemetry}, read once set. */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      Objects.requireNonNull(openTelemetry, "openTelemetry");
      if (this.openTelemetry != null) {
        throw new IllegalStateException("OpenTelemetry was already set");
      }
      this.openTelemetry = openTelemetry;
      return this;
    }

    /**
     * Registers the metrics (or reuses them when another {@code HttpTelemetry} of the same
     * TelemetryKit registered them) and returns the instrumentation.
     */
    public HttpTelemetry build() {
      return new HttpTelemetry(this);
    }

    private boolean echoCorrelationId() {
      return echoCorrelationId != null ? echoCorrelationId
          : telemetry.settings().booleanValue(HttpNames.SETTING_CORRELATION_ECHO, false);
    }

    private List<String> correlationHeaders() {
      if (correlationHeaders != null) {
        return correlationHeaders;
      }
      List<String> configured = telemetry.settings().list(HttpNames.SETTING_CORRELATION_HEADERS);
      if (configured.isEmpty()) {
        return HttpNames.DEFAULT_CORRELATION_HEADERS;
      }
      try {
        new Correlation(configured);
      } catch (IllegalArgumentException e) {
        throw telemetry.settings().invalid(HttpNames.SETTING_CORRELATION_HEADERS,
            "comma-separated HTTP header names such as X-Request-ID,X-Correlation-ID");
      }
      return configured;
    }
  }
}
