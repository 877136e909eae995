package dev.telemetrykit.jdbc;

import static dev.telemetrykit.jdbc.JdbcNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.telemetrykit.core.TelemetryKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** HikariCP's metrics SPI feeding the standard pool metrics, on a real pool over H2. */
class HikariTrackerTest {

  private static HikariDataSource pool(TelemetryKit telemetry, String name, int max, long timeoutMs) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName(name);
    config.setMaximumPoolSize(max);
    config.setMinimumIdle(max);
    config.setConnectionTimeout(timeoutMs);
    config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
    return new HikariDataSource(config);
  }

  private static double pool(String scrape, String metric, String pool, String... more) {
    String[] labels = new String[2 + more.length];
    labels[0] = POOL_NAME;
    labels[1] = pool;
    System.arraycopy(more, 0, labels, 2, more.length);
    return Samples.value(scrape, metric, labels);
  }

  @Test
  void exhaustedPoolCountsOneTimeoutShowsTheWaiterAndRecovers() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try (TelemetryKit telemetry = Samples.startTelemetry();
        HikariDataSource pool = pool(telemetry, "exhausted", 2, 250)) {
      CountDownLatch borrowed = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<?>> holders = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        holders.add(threads.submit(() -> {
          try (Connection c = pool.getConnection()) {
            borrowed.countDown();
            release.await();
          }
          return null;
        }));
      }
      assertThat(borrowed.await(30, TimeUnit.SECONDS)).isTrue();

      Future<Throwable> third = threads.submit(() -> {
        try (Connection c = pool.getConnection()) {
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      // Wait until HikariCP itself counts the third borrower as waiting, then scrape while it
      // still waits (its 250 ms have just begun); the scrape is the first read of the stats.
      awaitTrue(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
      String blocked = Samples.scrape(telemetry);
      assertThat(pool(blocked, CONNECTION_PENDING_REQUESTS, "exhausted")).isGreaterThan(0);
      assertThat(pool(blocked, CONNECTION_COUNT, "exhausted", CONNECTION_STATE, STATE_USED)).isEqualTo(2);
      assertThat(pool(blocked, CONNECTION_COUNT, "exhausted", CONNECTION_STATE, STATE_IDLE)).isZero();
      assertThat(pool(blocked, CONNECTION_MAX, "exhausted")).isEqualTo(2);

      assertThat(third.get(30, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class);
      release.countDown();
      for (Future<?> holder : holders) {
        holder.get(30, TimeUnit.SECONDS);
      }

      String after = Samples.scrape(telemetry);
      assertThat(pool(after, CONNECTION_TIMEOUTS, "exhausted")).isEqualTo(1);
      // three waits: two served, one timed out (HikariCP reports the failed wait too)
      assertThat(pool(after, CONNECTION_WAIT_TIME + "_count", "exhausted")).isEqualTo(3);
      assertThat(pool(after, CONNECTION_USE_TIME + "_count", "exhausted")).isEqualTo(2);
      // HikariCP opens its first connection before the tracker exists: not every open is seen
      assertThat(pool(after, CONNECTION_CREATE_TIME + "_count", "exhausted")).isGreaterThanOrEqualTo(1);
      assertThat(pool(after, CONNECTION_IDLE_MIN, "exhausted")).isEqualTo(2);
      assertThat(pool(after, CONNECTION_IDLE_MAX, "exhausted")).isEqualTo(2);
      // HikariCP refreshes its pool statistics at most once a second.
      awaitTrue(() -> {
        String s = Samples.scrape(telemetry);
        return pool(s, CONNECTION_COUNT, "exhausted", CONNECTION_STATE, STATE_USED) == 0
            && pool(s, CONNECTION_COUNT, "exhausted", CONNECTION_STATE, STATE_IDLE) == 2
            && pool(s, CONNECTION_PENDING_REQUESTS, "exhausted") == 0;
      });
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void closingThePoolRemovesItsGaugesAndAnotherPoolOfThatNameCanStart() throws SQLException {
    try (TelemetryKit telemetry = Samples.startTelemetry()) {
      HikariDataSource first = pool(telemetry, "reused-name", 1, 1000);
      first.getConnection().close();
      assertThat(Samples.lines(Samples.scrape(telemetry), CONNECTION_MAX, POOL_NAME, "reused-name"))
          .hasSize(1);
      first.close();
      assertThat(Samples.lines(Samples.scrape(telemetry), CONNECTION_MAX, POOL_NAME, "reused-name"))
          .isEmpty();
      try (HikariDataSource second = pool(telemetry, "reused-name", 3, 1000)) {
        second.getConnection().close();
        assertThat(pool(Samples.scrape(telemetry), CONNECTION_MAX, "reused-name")).isEqualTo(3);
      }
      assertThat(telemetry.instrumentationErrors().count(COMPONENT)).isZero();
    }
  }

  @Test
  void aSecondLivePoolWithTheSameNameStillStartsAndTheClashIsCounted() throws SQLException {
    try (TelemetryKit telemetry = Samples.startTelemetry();
        HikariDataSource first = pool(telemetry, "twin", 1, 1000);
        HikariDataSource second = pool(telemetry, "twin", 2, 1000)) {
      try (Connection c = second.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
      assertThat(telemetry.instrumentationErrors().count(COMPONENT)).isEqualTo(1);
      assertThat(pool(Samples.scrape(telemetry), CONNECTION_MAX, "twin")).isEqualTo(1);
    }
  }

  static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
