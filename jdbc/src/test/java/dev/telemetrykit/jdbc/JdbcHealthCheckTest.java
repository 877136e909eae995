package dev.telemetrykit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.health.Health;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcTelemetry#healthCheck} against a real H2 TCP server that is stopped and started
 * again: readiness follows within an interval. Waits are bounded polls.
 */
class JdbcHealthCheckTest {

  private static HttpResponse<byte[]> await(int port, int status) throws InterruptedException {
    HttpResponse<byte[]> r = null;
    for (int i = 0; i < 200; i++) {
      r = Scrapes.get(port, "/health/ready", null);
      if (r.statusCode() == status) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("readiness never became " + status + ": "
        + new String(r.body(), StandardCharsets.UTF_8));
  }

  /** Starts H2 again on the same port; retries briefly in case the port is still held. */
  private static Server restart(int port) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
      } catch (java.sql.SQLException portBusy) {
        if (attempt >= 50) {
          throw portBusy;
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  void stoppingTheDatabaseFlipsReadinessAndBack() throws Exception {
    Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    int dbPort = h2.getPort();
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:tcp://127.0.0.1:" + dbPort + "/mem:health;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    ds.setPassword("s3cret-pw");
    try (TelemetryKit telemetry = TelemetryKit.builder().serviceName("jdbc-health")
        .registry(new PrometheusRegistry()).metricsHost("127.0.0.1").metricsPort(0)
        .shutdownHook(false).jvmMetrics(false).modules().start()) {
      telemetry.health().register("database",
          JdbcTelemetry.healthCheck(ds, Duration.ofSeconds(1)),
          Health.options().timeout(Duration.ofSeconds(1)).interval(Duration.ofMillis(200)));
      int port = telemetry.metricsPort();
      HttpResponse<byte[]> up = await(port, 200);
      assertThat(new String(up.body(), StandardCharsets.UTF_8))
          .contains("\"database\":{\"status\":\"UP\"");

      h2.stop();
      HttpResponse<byte[]> down = await(port, 503);
      assertThat(new String(down.body(), StandardCharsets.UTF_8))
          .contains("\"database\":{\"status\":\"DOWN\"").doesNotContain("s3cret-pw");
      assertThat(Scrapes.text(port)).contains("health_check_status{check=\"database\"} 0.0");

      h2 = restart(dbPort);
      await(port, 200);
      assertThat(Scrapes.text(port)).contains("health_check_status{check=\"database\"} 1.0");
    } finally {
      h2.stop();
    }
  }
}
