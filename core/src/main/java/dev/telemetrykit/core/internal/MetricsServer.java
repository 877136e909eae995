package dev.telemetrykit.core.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.telemetrykit.core.health.Health;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The metrics endpoint on {@link GuardedHttpServer}: client_java's {@link MetricsHandler} at
 * {@code /metrics} (content negotiation, gzip, {@code name[]} filtering) plus {@code /health}.
 * Health paths stay open when basic auth protects the metrics, so probes need no credentials.
 *
 * <p>All paths are registered in {@link #routes}, the one place to add a page.
 */
public final class MetricsServer implements AutoCloseable {

  /** Paths served without credentials. */
  static final String HEALTH_PATH = "/health";

  /** Counter of refused and cut connections, by reason. */
  public static final String REJECTED_METRIC = "telemetrykit_metrics_server_rejected_total";

  private static final String CLIENT_JAVA_HEALTH_PATH = "/-/healthy";

  private final GuardedHttpServer server;
  private final Counter rejected;
  private final PrometheusRegistry registry;

  private MetricsServer(GuardedHttpServer server, Counter rejected, PrometheusRegistry registry) {
    this.server = server;
    this.rejected = rejected;
    this.registry = registry;
  }

  /** What the server needs besides the address. */
  public static final class Config {
    String serviceName = "unknown";
    String username;
    String password;
    SSLContext sslContext;
    GuardedHttpServer.Limits limits = new GuardedHttpServer.Limits(
        Duration.ofSeconds(5), Duration.ofSeconds(30), 512, 2);
    Health health;
    boolean healthAuth;
    DashboardHandler dashboard;

    /** The built-in dashboard at {@code /} and {@code /dashboard/*}; null for none. */
    public Config dashboard(DashboardHandler dashboard) {
      this.dashboard = dashboard;
      return this;
    }

    /** Service name, for the default health body. */
    public Config serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /** Basic auth for {@code /metrics}; both null for none. */
    public Config basicAuth(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /** TLS; null for plain HTTP. */
    public Config tls(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Connection limits and timeouts. */
    public Config limits(GuardedHttpServer.Limits limits) {
      this.limits = limits;
      return this;
    }

    /**
     * Serves {@code /health}, {@code /health/live}, {@code /health/ready} from this model;
     * without one, {@code /health} is a fixed UP body.
     *
     * @param requireAuth whether health paths need the {@code /metrics} credentials too
     */
    public Config health(Health health, boolean requireAuth) {
      this.health = health;
      this.healthAuth = requireAuth;
      return this;
    }
  }

  /**
   * Starts the server.
   *
   * @param portSource how the port was chosen, for the message when it is taken
   * @throws IllegalStateException if the port is in use, naming the port and its setting
   */
  public static MetricsServer start(
      PrometheusRegistry registry,
      InetAddress address,
      int port,
      String portSource,
      Config config) {
    Counter rejected = Counter.builder().name(REJECTED_METRIC)
        .help("Connections to the metrics port refused or cut: timeout (request or response too"
            + " slow), too_large (request header or body over the cap), overloaded (too many"
            + " connections or queued requests)")
        .labelNames("reason").build();
    for (String reason : new String[] {"timeout", "too_large", "overloaded"}) {
      rejected.labelValues(reason);
    }
    registry.register(rejected);
    GuardedHttpServer.Rejections counting = reason -> {
      try {
        rejected.labelValues(reason).inc();
      } catch (RuntimeException ignored) {
        // Counting must never break serving.
      }
    };
    try {
      GuardedHttpServer server = GuardedHttpServer.start(new InetSocketAddress(address, port),
          routes(registry, config), config.limits, counting, config.sslContext);
      return new MetricsServer(server, rejected, registry);
    } catch (BindException e) {
      registry.unregister(rejected);
      throw new IllegalStateException("Cannot start the metrics server on "
          + address.getHostAddress() + ":" + port + " (" + portSource
          + "): the port is already in use. Choose another port, or 0 for any free port.", e);
    } catch (IOException e) {
      registry.unregister(rejected);
      throw new IllegalStateException("Cannot start the metrics server on "
          + address.getHostAddress() + ":" + port + " (" + portSource + "): " + e, e);
    }
  }

  /** Every path of the metrics port, first match wins; add new pages here. */
  private static List<GuardedHttpServer.Route> routes(PrometheusRegistry registry, Config config) {
    Authenticator auth = config.username == null ? null
        : new BasicAuth(config.username, config.password);
    HttpHandler health = config.health != null ? new HealthHandler(config.health)
        : new FixedHealth(("{\"status\":\"UP\",\"service\":\"" + jsonEscape(config.serviceName)
            + "\"}").getBytes(StandardCharsets.UTF_8));
    List<GuardedHttpServer.Route> routes = new ArrayList<>();
    routes.add(new GuardedHttpServer.Route("/metrics", new MetricsHandler(registry), auth));
    routes.add(new GuardedHttpServer.Route(HEALTH_PATH, health, config.healthAuth ? auth : null));
    routes.add(new GuardedHttpServer.Route(CLIENT_JAVA_HEALTH_PATH,
        exchange -> send(exchange, 200, "text/plain; charset=utf-8",
            "Exporter is healthy.\n".getBytes(StandardCharsets.UTF_8)), null));
    HttpHandler notFound = exchange -> send(exchange, 404,
        "text/plain; charset=utf-8", "Not found. Metrics are at /metrics, health at /health.\n"
            .getBytes(StandardCharsets.UTF_8));
    DashboardHandler dashboard = config.dashboard;
    if (dashboard == null) {
      routes.add(new GuardedHttpServer.Route("/", notFound, null));
    } else {
      // The page shows what /metrics shows, so it sits behind the same credentials; with auth
      // on, an unknown path then answers 401 before 404.
      routes.add(new GuardedHttpServer.Route("/", exchange -> {
        if (dashboard.serves(exchange.getRequestURI().getPath())) {
          dashboard.handle(exchange);
        } else {
          notFound.handle(exchange);
        }
      }, auth));
    }
    return routes;
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    registry.unregister(rejected);
  }

  /** Sends a whole response and closes the exchange. */
  static void send(HttpExchange exchange, int code, String contentType, byte[] body)
      throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String jsonEscape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code /health} and {@code /health/ready}: readiness with detail; {@code /health/live}. */
  private static final class HealthHandler implements HttpHandler {
    private final Health health;

    HealthHandler(Health health) {
      this.health = health;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      boolean live;
      if (path.equals(HEALTH_PATH) || path.equals(HEALTH_PATH + "/ready")) {
        live = false;
      } else if (path.equals(HEALTH_PATH + "/live")) {
        live = true;
      } else {
        send(exchange, 404, "text/plain; charset=utf-8",
            "Not found. Health is at /health, /health/live, /health/ready.\n"
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      boolean ok = live ? health.isLive() : health.isReady();
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      send(exchange, ok ? 200 : 503, "application/json",
          health.toJson(live).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The health body when no health model is wired. */
  private static final class FixedHealth implements HttpHandler {
    private final byte[] body;

    FixedHealth(byte[] body) {
      this.body = body;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      send(exchange, 200, "application/json", body);
    }
  }

  /** Basic auth with a constant-time comparison; health paths pass without credentials. */
  private static final class BasicAuth extends BasicAuthenticator {
    private final byte[] username;
    private final byte[] password;

    BasicAuth(String username, String password) {
      super("telemetrykit");
      this.username = username.getBytes(StandardCharsets.UTF_8);
      this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkCredentials(String user, String pass) {
      // Both comparisons always run, so timing does not tell which part was wrong.
      boolean userOk = MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
      boolean passOk = MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
      return userOk & passOk;
    }
  }
}
