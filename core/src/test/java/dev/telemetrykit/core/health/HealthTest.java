package dev.telemetrykit.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.TelemetryModule;
import dev.telemetrykit.core.meter.BatchMetrics;
import dev.telemetrykit.core.testing.Scrapes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The health model over the real metrics port; waits are bounded polls, never timed asserts. */
class HealthTest {

  private static TelemetryKit.Builder kit() {
    return TelemetryKit.builder().serviceName("health-test").registry(new PrometheusRegistry())
        .metricsHost("127.0.0.1").metricsPort(0).shutdownHook(false).jvmMetrics(false);
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Polls a path until the predicate holds; at most ~20 s, so a bug fails instead of hanging. */
  static HttpResponse<byte[]> awaitResponse(int port, String path,
      Predicate<HttpResponse<byte[]>> done) throws InterruptedException {
    HttpResponse<byte[]> r = null;
    for (int i = 0; i < 200; i++) {
      r = Scrapes.get(port, path, null);
      if (done.test(r)) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("condition not reached on " + path + "; last: " + r.statusCode()
        + " " + body(r));
  }

  @Test
  void hangingCheckIsDownAfterItsTimeoutAndNeverBlocksTheProbe() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    try (TelemetryKit telemetry = kit().start()) {
      telemetry.health().register("hangs", () -> {
        started.incrementAndGet();
        release.await(60, TimeUnit.SECONDS);
        return HealthCheck.Result.up();
      }, Health.options().timeout(Duration.ofMillis(300)).interval(Duration.ofMillis(100)));
      int port = telemetry.metricsPort();
      // Answers while the check hangs: not ready, because the check has no result yet.
      HttpResponse<byte[]> r = Scrapes.get(port, "/health/ready", null);
      assertThat(r.statusCode()).isEqualTo(503);
      r = awaitResponse(port, "/health", x -> body(x).contains("timed out"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(body(r)).contains("\"hangs\":{\"status\":\"DOWN\"");
      assertThat(Scrapes.get(port, "/health/live", null).statusCode()).isEqualTo(200);
      String scrape = Scrapes.text(port);
      assertThat(scrape).contains("health_check_status{check=\"hangs\"} 0.0");
      assertThat(scrape).contains("health_check_failures_total{check=\"hangs\"} 1.0");
      // A hung run is never started again on top of itself.
      assertThat(started.get()).isEqualTo(1);
      release.countDown();
      awaitResponse(port, "/health/ready", x -> x.statusCode() == 200);
    } finally {
      release.countDown();
    }
  }

  @Test
  void failingCriticalCheckMakesReadiness503AndStatusZero() throws Exception {
    AtomicBoolean ok = new AtomicBoolean(false);
    try (TelemetryKit telemetry = kit().start()) {
      telemetry.health().register("db", () -> {
        if (!ok.get()) {
          throw new IllegalStateException("cannot reach jdbc:postgresql://app:s3cret@db:5432/x"
              + " with password=hunter2 token=abc.def");
        }
        return HealthCheck.Result.up();
      }, Health.options().interval(Duration.ofMillis(100)));
      telemetry.health().register("optional", () -> HealthCheck.Result.down("not important"),
          Health.options().critical(false).interval(Duration.ofMillis(100)));
      int port = telemetry.metricsPort();
      HttpResponse<byte[]> r = awaitResponse(port, "/health/ready",
          x -> body(x).contains("IllegalStateException"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      String json = body(r);
      assertThat(json).startsWith("{\"status\":\"DOWN\",\"service\":\"health-test\"")
          .contains("\"db\":{\"status\":\"DOWN\",\"critical\":true")
          .contains("\"lastChecked\":\"").contains("\"durationSeconds\":")
          .doesNotContain("s3cret").doesNotContain("hunter2").doesNotContain("abc.def")
          .contains("://***@db:5432").contains("password=***");
      assertThat(Scrapes.text(port)).contains("health_check_status{check=\"db\"} 0.0")
          .contains("health_check_duration_seconds{check=\"db\"}").contains("health_ready 0.0");
      ok.set(true);
      r = awaitResponse(port, "/health/ready", x -> x.statusCode() == 200);
      // The failing non-critical check is shown but does not block readiness.
      assertThat(body(r)).contains("\"optional\":{\"status\":\"DOWN\",\"critical\":false");
      assertThat(Scrapes.text(port)).contains("health_check_status{check=\"db\"} 1.0")
          .contains("health_ready 1.0");
    }
  }

  @Test
  void livenessCheckDownMakesLive503() throws Exception {
    try (TelemetryKit telemetry = kit().start()) {
      telemetry.health().register("deadlock", () -> HealthCheck.Result.down("threads deadlocked"),
          Health.options().liveness(true).critical(false));
      int port = telemetry.metricsPort();
      HttpResponse<byte[]> r = awaitResponse(port, "/health/live", x -> x.statusCode() == 503);
      assertThat(body(r)).contains("threads deadlocked");
      assertThat(Scrapes.get(port, "/health/ready", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void readinessIs503WhileCloseFlushesAndLivenessStays200() throws Exception {
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TelemetryModule slowFlush = new TelemetryModule() {
      @Override
      public String name() {
        return "slow-flush";
      }

      @Override
      public void start(TelemetryKit telemetry) {}

      @Override
      public void close() {
        closing.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    TelemetryKit telemetry = kit().modules(slowFlush).start();
    int port = telemetry.metricsPort();
    assertThat(Scrapes.get(port, "/health/ready", null).statusCode()).isEqualTo(200);
    Thread closer = new Thread(telemetry::close, "closer");
    closer.start();
    try {
      assertThat(closing.await(30, TimeUnit.SECONDS)).isTrue();
      HttpResponse<byte[]> r = Scrapes.get(port, "/health/ready", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(body(r)).contains("shutting down");
      assertThat(Scrapes.get(port, "/health/live", null).statusCode()).isEqualTo(200);
    } finally {
      release.countDown();
      closer.join(30_000);
    }
  }

  @Test
  void batchLastSuccessCheck() throws Exception {
    try (TelemetryKit telemetry = kit().start()) {
      BatchMetrics backups = telemetry.meters().batchProcessor("backup");
      HealthCheck check = backups.healthCheck(Duration.ofMillis(200));
      assertThat(check.check().status()).isEqualTo(HealthCheck.Status.UP);
      Thread.sleep(300);
      HealthCheck.Result late = check.check();
      assertThat(late.status()).isEqualTo(HealthCheck.Status.DOWN);
      assertThat(late.reason()).contains("no successful batch since start");
      backups.record(true, 1, 0, 1_000);
      assertThat(check.check().status()).isEqualTo(HealthCheck.Status.UP);
      assertThat(backups.lastSuccess()).isPresent();
    }
  }

  @Test
  void reasonsAreRedactedAndShortened() {
    assertThat(Health.sanitizeReason("jdbc:postgresql://app:pw@db/x?user=a&password=pw2"))
        .isEqualTo("jdbc:postgresql://***@db/x?user=a&password=***");
    assertThat(Health.sanitizeReason("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y"))
        .doesNotContain("eyJhbGciOiJIUzI1NiJ9");
    assertThat(Health.sanitizeReason("api_key=XYZ secret: abc\nnext line"))
        .isEqualTo("api_key=*** secret: *** next line");
    assertThat(Health.sanitizeReason("x".repeat(500))).hasSize(200).endsWith("...");
  }

  @Test
  void duplicateAndBlankNamesAreRejected() {
    try (TelemetryKit telemetry = kit().metricsServer(false).start()) {
      telemetry.health().register("a", HealthCheck.Result::up);
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> telemetry.health().register("a", HealthCheck.Result::up))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> telemetry.health().register(" ", HealthCheck.Result::up))
          .isInstanceOf(IllegalArgumentException.class);
      telemetry.health().unregister("a");
      telemetry.health().register("a", HealthCheck.Result::up);
    }
  }
}
