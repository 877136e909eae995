package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.await;
import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The servlet filter mapped twice on the same request (a framework and the application both
 * register it) records the request once and keeps the first correlation ID: the request
 * attribute holding the ID is its "already seen" mark.
 */
class ServletFilterRegisteredTwiceTest {

  @Test
  void secondRegistrationPassesTheRequestThrough() throws Exception {
    AtomicReference<Object> attribute = new AtomicReference<>();
    try (TelemetryKit kit = Fixtures.kit().start()) {
      HttpTelemetry http = HttpTelemetry.builder(kit).routes("/orders/{id}")
          .echoCorrelationId(true).build();
      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.addFilter(new FilterHolder(http.servletFilter()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(http.servletFilter()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
          attribute.set(req.getAttribute(HttpNames.CORRELATION_ID_ATTRIBUTE));
          resp.setStatus(204);
        }
      }), "/*");
      jetty.setHandler(context);
      jetty.start();
      try {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/orders/7"))
            .header("X-Request-ID", "twice-1").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().allValues("X-Request-ID")).containsExactly("twice-1");
        assertThat(attribute.get()).isEqualTo("twice-1");
        String d = HttpNames.SERVER_DURATION + "_count";
        await("the request recorded", () -> sum(Scrapes.text(kit.metricsPort()), d) >= 1);
        assertThat(sum(Scrapes.text(kit.metricsPort()), d, "http_route=/orders/{id}"))
            .isEqualTo(1);
      } finally {
        jetty.stop();
      }
    }
  }
}
