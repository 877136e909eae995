package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** The generic pool API, fed by a small real pool of objects. */
class ConnectionPoolMetricsTest {

  /** A minimal pool: idle objects in a queue, a count of borrowed ones. */
  static final class TinyPool {
    final BlockingQueue<Object> idle = new ArrayBlockingQueue<>(4);
    volatile int borrowed;
    volatile int waiting;

    TinyPool() {
      for (int i = 0; i < 4; i++) {
        idle.add(new Object());
      }
    }

    Object borrow() {
      Object o = idle.poll();
      borrowed++;
      return o;
    }
  }

  @Test
  void anyPoolReportsTheStandardMetricsFromCallbacksAndHooks() {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      TinyPool tiny = new TinyPool();
      ConnectionPoolMetrics metrics = JdbcTelemetry.pool(telemetry, "tiny", tiny)
          .idleConnections(p -> p.idle.size())
          .usedConnections(p -> p.borrowed)
          .maxConnections(p -> 4)
          .idleMin(p -> 1)
          .pendingRequests(p -> p.waiting)
          .register();
      tiny.borrow();
      tiny.borrow();
      tiny.waiting = 1;
      metrics.recordWaitTime(2_000_000);
      metrics.recordUseTime(30_000_000);
      metrics.recordCreateTime(1_000_000);
      metrics.recordTimeout();

      String scrape = Samples.scrape(telemetry);
      assertThat(Samples.value(scrape, CONNECTION_COUNT, POOL_NAME, "tiny", CONNECTION_STATE, STATE_IDLE)).isEqualTo(2);
      assertThat(Samples.value(scrape, CONNECTION_COUNT, POOL_NAME, "tiny", CONNECTION_STATE, STATE_USED)).isEqualTo(2);
      assertThat(Samples.value(scrape, CONNECTION_MAX, POOL_NAME, "tiny")).isEqualTo(4);
      assertThat(Samples.value(scrape, CONNECTION_IDLE_MIN, POOL_NAME, "tiny")).isEqualTo(1);
      assertThat(Samples.lines(scrape, CONNECTION_IDLE_MAX)).as("not given, not reported").isEmpty();
      assertThat(Samples.value(scrape, CONNECTION_PENDING_REQUESTS, POOL_NAME, "tiny")).isEqualTo(1);
      assertThat(Samples.value(scrape, CONNECTION_TIMEOUTS, POOL_NAME, "tiny")).isEqualTo(1);
      assertThat(Samples.value(scrape, CONNECTION_WAIT_TIME + "_bucket", POOL_NAME, "tiny", "le", "0.005")).isEqualTo(1);
      assertThat(Samples.value(scrape, CONNECTION_USE_TIME + "_sum", POOL_NAME, "tiny")).isEqualTo(0.03);
      PromtoolCheck.assertClean(scrape);

      metrics.close();
      assertThat(Samples.lines(Samples.scrape(telemetry), CONNECTION_COUNT)).isEmpty();
    }
  }

  @Test
  void aFailingSizeFunctionSkipsItsSampleWithoutFailingTheScrape() {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      TinyPool tiny = new TinyPool();
      try (ConnectionPoolMetrics metrics = JdbcTelemetry.pool(telemetry, "broken", tiny)
          .idleConnections(p -> p.idle.size())
          .usedConnections(p -> {
            throw new IllegalStateException("pool is closing");
          })
          .register()) {
        String scrape = Samples.scrape(telemetry);
        assertThat(Samples.value(scrape, CONNECTION_COUNT, POOL_NAME, "broken", CONNECTION_STATE, STATE_IDLE)).isEqualTo(4);
        assertThat(Samples.lines(scrape, CONNECTION_COUNT, CONNECTION_STATE, STATE_USED)).isEmpty();
        assertThat(telemetry.instrumentationErrors().count("jdbc-pool")).isEqualTo(1);
      }
    }
  }

  @Test
  void registeringALivePoolNameTwiceFailsAtRegistration() {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      TinyPool tiny = new TinyPool();
      try (ConnectionPoolMetrics first = JdbcTelemetry.pool(telemetry, "one", tiny)
          .maxConnections(p -> 4).register()) {
        assertThatThrownBy(() -> JdbcTelemetry.pool(telemetry, "one", tiny)
            .maxConnections(p -> 4).register())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(CONNECTION_MAX).hasMessageContaining("one");
        assertThat(first.poolName()).isEqualTo("one");
      }
      assertThatThrownBy(() -> JdbcTelemetry.pool(telemetry, " ", new Object()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolName");
      assertThatThrownBy(() -> JdbcTelemetry.pool(telemetry, "x", null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("pool");
    }
  }
}
