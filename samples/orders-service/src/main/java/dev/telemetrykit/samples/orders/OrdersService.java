package dev.telemetrykit.samples.orders;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.telemetrykit.cache.CacheTelemetry;
import dev.telemetrykit.cache.caffeine.CaffeineStats;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.resilience4j.Resilience4jRateLimiterMetrics;
import dev.telemetrykit.http.HttpTelemetry;
import dev.telemetrykit.jdbc.JdbcTelemetry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small orders service that uses every TelemetryKit module. Copy it: everything TelemetryKit
 * needs is the first line of {@link #main} plus one call per component in {@link #start}.
 *
 * <pre>
 * java -jar samples/orders-service/target/orders-service.jar [--demo-traffic]
 * </pre>
 *
 * <p>API on {@code ORDERS_PORT} (default 8080), metrics on {@code OTEL_EXPORTER_PROMETHEUS_PORT}
 * (default 9464). H2 in memory, no collector needed.
 */
public final class OrdersService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OrdersService.class);

  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final OutboxPublisher outbox;
  private final HikariDataSource pool;

  private OrdersService(HttpServer server, ExecutorService workers,
      ScheduledExecutorService scheduler, OutboxPublisher outbox, HikariDataSource pool) {
    this.server = server;
    this.workers = workers;
    this.scheduler = scheduler;
    this.outbox = outbox;
    this.pool = pool;
  }

  /** Starts the service; {@code --demo-traffic} also starts a load generator. */
  public static void main(String[] args) throws Exception {
    // Before anything creates a JDK HttpServer (TelemetryKit's metrics server included): without
    // TCP_NODELAY the JDK server's small responses wait ~40 ms for a delayed ACK, capping a
    // keep-alive client at ~25 requests/s per connection. -Dsun.net.httpserver.nodelay=false
    // on the command line still wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    TelemetryKit.Builder builder = TelemetryKit.builder().serviceName("orders-service");
    // The sample shows the HTTP access log and the echoed X-Request-ID (both off in the
    // library); the environment still wins.
    for (String shown : List.of(dev.telemetrykit.http.HttpNames.SETTING_ACCESS_LOG,
        dev.telemetrykit.http.HttpNames.SETTING_CORRELATION_ECHO)) {
      if (System.getenv(shown) == null) {
        builder.setting(shown, "true");
      }
    }
    TelemetryKit telemetry = builder.start();

    int port = Integer.parseInt(System.getenv().getOrDefault("ORDERS_PORT", "8080"));
    OrdersService service = start(telemetry, port);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "orders-service-shutdown"));
    if (List.of(args).contains("--demo-traffic")) {
      DemoTraffic.start(service.port());
      LOG.info("Demo traffic started against port {}", service.port());
    }
  }

  /** Wires the service's components, each instrumented with one call. */
  static OrdersService start(TelemetryKit telemetry, int port) throws Exception {
    // Database: a HikariCP pool reporting pool metrics, wrapped for query metrics and spans.
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
    config.setPoolName("orders-db");
    config.setMaximumPoolSize(10);
    config.setMetricsTrackerFactory(JdbcTelemetry.hikariTracker(telemetry));
    HikariDataSource pool = new HikariDataSource(config);
    DataSource dataSource = JdbcTelemetry.builder(telemetry)
        .name("orders-db")
        .slowOperationThreshold(Duration.ofMillis(200))
        .wrap(pool);
    OrderStore store = new OrderStore(dataSource);
    store.createSchema();

    // Cache in front of GET /orders/{id}: gets, loads, evictions by cause, size.
    CaffeineStats stats = CacheTelemetry.caffeineStats(telemetry, "orders");
    Cache<Long, Order> cache = stats.register(Caffeine.newBuilder()
        .maximumSize(100)
        .expireAfterWrite(Duration.ofMinutes(5))
        .recordStats(stats)
        .removalListener(stats.removalListener())
        .build());

    // Rate limits per API-key tier, through Resilience4j.
    ApiRateLimiters limiters = new ApiRateLimiters(10,
        limiter -> Resilience4jRateLimiterMetrics.monitor(limiter, telemetry.meters()));

    // Outbox: batches of order events, flushed by size or time, on an instrumented scheduler.
    ScheduledExecutorService scheduler = telemetry.meters()
        .executor("outbox-scheduler", Executors.newSingleThreadScheduledExecutor());
    OutboxPublisher outbox = new OutboxPublisher(store,
        telemetry.meters().batchProcessor("order-outbox"), scheduler);

    // Business metrics. The customer label is unbounded in real life: the cardinality guard
    // caps it (lowered to 3 here so the demo shows the overflow into customer="_OTHER").
    GuardedCounter created = telemetry.meters().counter("orders_created_total")
        .help("Orders accepted").register();
    GuardedCounter byCustomer = telemetry.meters().counter("orders_by_customer_total")
        .help("Orders accepted per customer").labelNames("customer").cardinalityLimit(3)
        .register();

    // HTTP: server metrics/spans/correlation IDs per route template, instrumented client.
    HttpTelemetry http = HttpTelemetry.builder(telemetry)
        .routes("/orders", "/orders/{id}", "/payments/charge")
        .build();
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ExecutorService workers = telemetry.meters()
        .executor("http-workers", Executors.newFixedThreadPool(8));
    server.setExecutor(workers);
    int boundPort = server.getAddress().getPort();
    HttpClient paymentsHttp = http.wrap(HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2)).build());
    PaymentsClient payments = new PaymentsClient(paymentsHttp,
        URI.create("http://127.0.0.1:" + boundPort + "/payments/charge"));

    Filter filter = http.jdkServerFilter();
    server.createContext("/orders", new OrdersHandler(store, cache, limiters, payments, outbox,
        created.labelValues(), byCustomer)).getFilters().add(filter);
    server.createContext("/payments/charge", new PaymentsHandler()).getFilters().add(filter);
    server.createContext("/payments/health", exchange -> {
      try (exchange) {
        Http.respond(exchange, 200, "{\"status\":\"UP\"}");
      }
    });
    // Catch-all: without it the JDK server answers other paths with its own 404 before any
    // filter runs, and scanners and typos appear in no metric. Here they are counted with
    // http_route="_OTHER".
    server.createContext("/", exchange -> {
      try (exchange) {
        Http.respond(exchange, 404, Json.error("no such resource"));
      }
    }).getFilters().add(filter);
    server.start();

    // Health: /health/ready on the metrics port turns 503 when the database or the payments
    // provider is down; checks run every 10 s off the probe's thread.
    telemetry.health().register("database", JdbcTelemetry.healthCheck(pool));
    telemetry.health().register("payments", HttpTelemetry.healthCheck(
        URI.create("http://127.0.0.1:" + boundPort + "/payments/health")));
    LOG.info("orders-service listening on port {}, metrics on port {}", boundPort,
        telemetry.metricsPort());
    return new OrdersService(server, workers, scheduler, outbox, pool);
  }

  /** The API port actually bound. */
  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    outbox.close();
    workers.shutdown();
    scheduler.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }
}
