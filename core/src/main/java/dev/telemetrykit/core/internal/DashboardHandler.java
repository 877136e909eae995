package dev.telemetrykit.core.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the built-in dashboard: {@code /} (one HTML page) and its static files under
 * {@code /dashboard/}, all read once from the jar. The page itself polls {@code /metrics}, so
 * the server's cost per poll is one ordinary scrape.
 *
 * <p>The Content-Security-Policy allows this origin only: the page cannot load scripts, styles,
 * fonts or data from anywhere else, even if a metric label carried markup.
 */
public final class DashboardHandler implements HttpHandler {

  /** The path of the page. */
  public static final String PAGE_PATH = "/";

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String RESOURCE_DIR = "/dev/telemetrykit/core/dashboard/";

  private final Map<String, Asset> assets;

  /**
   * Loads the page and its files from the class path.
   *
   * @throws UncheckedIOException if a file is missing from the jar
   */
  public DashboardHandler() {
    assets = Map.of(
        PAGE_PATH, load("index.html", "text/html; charset=utf-8"),
        "/dashboard/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
        "/dashboard/promcalc.js", load("promcalc.js", "text/javascript; charset=utf-8"),
        "/dashboard/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
        "/dashboard/icon.svg", load("icon.svg", "image/svg+xml"));
  }

  /** Whether {@code path} is one of the dashboard's. */
  public boolean serves(String path) {
    return assets.containsKey(path);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Asset asset = assets.get(exchange.getRequestURI().getPath());
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (asset == null || !(head || "GET".equals(method))) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(asset == null ? 404 : 405, -1);
        return;
      }
      var headers = exchange.getResponseHeaders();
      headers.set("Content-Type", asset.contentType);
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      // Revalidate every time: a new jar must not leave an old page in the browser.
      headers.set("Cache-Control", "no-cache");
      if (head) {
        headers.set("Content-Length", Integer.toString(asset.body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, asset.body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(asset.body);
      }
    }
  }

  private static Asset load(String file, String contentType) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException(
            "Dashboard file " + RESOURCE_DIR + file + " is missing from the telemetrykit-core jar"));
      }
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Asset {
    final byte[] body;
    final String contentType;

    Asset(byte[] body, String contentType) {
      this.body = body;
      this.contentType = contentType;
    }
  }
}
