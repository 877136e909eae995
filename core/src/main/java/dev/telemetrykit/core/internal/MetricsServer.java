package dev.telemetrykit.core.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The metrics endpoint: client_java's {@link HTTPServer} ({@code /metrics} with content
 * negotiation, gzip and {@code name[]} filtering) plus {@code /health}. Health paths stay open
 * when basic auth protects the metrics, so liveness probes need no credentials.
 */
public final class MetricsServer implements AutoCloseable {

  /** Paths served without credentials. */
  static final String HEALTH_PATH = "/health";

  private static final String CLIENT_JAVA_HEALTH_PATH = "/-/healthy";

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts the server.
   *
   * @param portSource how the port was chosen, for the message when it is taken
   * @param dashboard serves the page at {@code /}, or {@code null} when it is turned off
   * @throws IllegalStateException if the port is in use, naming the port and its setting
   */
  public static MetricsServer start(
      PrometheusRegistry registry,
      InetAddress address,
      int port,
      String portSource,
      String serviceName,
      String username,
      String password,
      DashboardHandler dashboard) {
    String healthBody = "{\"status\":\"UP\",\"service\":\"" + jsonEscape(serviceName) + "\"}";
    HTTPServer.Builder builder = HTTPServer.builder()
        .registry(registry)
        .inetAddress(address)
        .port(port)
        .defaultHandler(new RootHandler(healthBody.getBytes(StandardCharsets.UTF_8), dashboard));
    if (username != null) {
      builder.authenticator(new BasicAuth(username, password));
    }
    try {
      return new MetricsServer(builder.buildAndStart());
    } catch (BindException e) {
      throw new IllegalStateException("Cannot start the metrics server on "
          + address.getHostAddress() + ":" + port + " (" + portSource
          + "): the port is already in use. Choose another port, or 0 for any free port.", e);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the metrics server on "
          + address.getHostAddress() + ":" + port + " (" + portSource + "): " + e, e);
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
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

  /** Serves {@code /health} and the dashboard when on; anything else not metrics is 404. */
  private static final class RootHandler implements HttpHandler {
    private final byte[] healthBody;
    private final DashboardHandler dashboard;

    RootHandler(byte[] healthBody, DashboardHandler dashboard) {
      this.healthBody = healthBody;
      this.dashboard = dashboard;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      if (dashboard != null && dashboard.serves(path)) {
        dashboard.handle(exchange);
        return;
      }
      try (exchange) {
        if (HEALTH_PATH.equals(path)) {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, healthBody.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(healthBody);
          }
        } else {
          byte[] body = "Not found. Metrics are at /metrics, health at /health.\n"
              .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(404, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
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
    public Authenticator.Result authenticate(HttpExchange exchange) {
      String path = exchange.getRequestURI().getPath();
      if (HEALTH_PATH.equals(path) || CLIENT_JAVA_HEALTH_PATH.equals(path)) {
        return new Authenticator.Success(new HttpPrincipal("health", "telemetrykit"));
      }
      return super.authenticate(exchange);
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
