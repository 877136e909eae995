package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.jdbc.JdbcTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.listener.NoOpQueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An H2 in-memory point select ({@code SELECT id, total FROM orders WHERE id = ?}) through one
 * reused {@link PreparedStatement}, five ways side by side:
 * <ul>
 *   <li>{@code raw} — H2's own {@code JdbcDataSource};
 *   <li>{@code telemetryKit} — {@code JdbcTelemetry.wrap(raw)} with no OpenTelemetry set
 *       (metrics and the slow-operation check, no span): TelemetryKit without the tracing
 *       module, so this class starts TelemetryKit with no modules. No unit of work is open, so
 *       the N+1 counting costs one thread-local read per select;
 *   <li>{@code telemetryKitNoopTracer} — the same with an explicit {@code OpenTelemetry.noop()}
 *       (a no-op span through the OpenTelemetry API per select);
 *   <li>{@code telemetryKitSdkSpans} — the same with an OpenTelemetry SDK that samples every
 *       span into a batch processor whose exporter drops them: the cost of real spans;
 *   <li>{@code telemetryKitInUnit} — {@code telemetryKit} with every 8 selects in one
 *       {@code UnitOfWork} (a request doing 8 queries, below the N+1 threshold): the cost of
 *       counting executions per statement inside a unit;
 *   <li>{@code datasourceProxy} — {@code net.ttddyy:datasource-proxy} 1.10.1 with a no-op
 *       {@code QueryExecutionListener}: JDK-proxy based instrumentation that records nothing.
 * </ul>
 * Each operation is 10 × 1024 selects (ids cycled), so ns/op and B/op are per select.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar JdbcBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcBenchmark {

  static final int ROWS = 1024;
  static final int CALLS = 10 * ROWS;
  static final String SELECT = "SELECT id, total FROM orders WHERE id = ?";

  TelemetryKit telemetry;
  Connection rawConnection;
  Connection telemetryKitConnection;
  Connection noopTracerConnection;
  Connection proxyConnection;
  Connection sdkConnection;
  OpenTelemetrySdk sdk;
  PreparedStatement telemetryKitSdkSpans;
  PreparedStatement raw;
  PreparedStatement telemetryKit;
  PreparedStatement telemetryKitNoopTracer;
  PreparedStatement datasourceProxy;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    telemetry = Benchmarks.startTelemetry(new PrometheusRegistry());
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build())
        .build()).build();
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:jdbc-benchmark;DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total BIGINT)");
      s.execute("DELETE FROM orders");
      s.execute("INSERT INTO orders SELECT X, X * 10 FROM SYSTEM_RANGE(0, " + (ROWS - 1) + ")");
    }
    DataSource wrapped = JdbcTelemetry.wrap(h2, telemetry);
    DataSource wrappedNoop = JdbcTelemetry.builder(telemetry).name("noop-tracer")
        .openTelemetry(OpenTelemetry.noop()).wrap(h2);
    DataSource wrappedSdk = JdbcTelemetry.builder(telemetry).name("sdk").openTelemetry(sdk)
        .wrap(h2);
    DataSource proxied = ProxyDataSourceBuilder.create(h2)
        .listener(new NoOpQueryExecutionListener()).build();

    rawConnection = h2.getConnection();
    telemetryKitConnection = wrapped.getConnection();
    noopTracerConnection = wrappedNoop.getConnection();
    proxyConnection = proxied.getConnection();
    sdkConnection = wrappedSdk.getConnection();
    telemetryKitSdkSpans = sdkConnection.prepareStatement(SELECT);
    raw = rawConnection.prepareStatement(SELECT);
    telemetryKit = telemetryKitConnection.prepareStatement(SELECT);
    telemetryKitNoopTracer = noopTracerConnection.prepareStatement(SELECT);
    datasourceProxy = proxyConnection.prepareStatement(SELECT);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    for (Connection c : new Connection[] {rawConnection, telemetryKitConnection,
        noopTracerConnection, proxyConnection, sdkConnection}) {
      c.close();
    }
    sdk.close();
    telemetry.close();
  }

  private static void selects(PreparedStatement ps, Blackhole bh) throws SQLException {
    for (int i = 0; i < CALLS; i++) {
      ps.setInt(1, i & (ROWS - 1));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        bh.consume(rs.getLong(2));
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void raw(Blackhole bh) throws SQLException {
    selects(raw, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void telemetryKit(Blackhole bh) throws SQLException {
    selects(telemetryKit, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void telemetryKitInUnit(Blackhole bh) throws SQLException {
    PreparedStatement ps = telemetryKit;
    for (int i = 0; i < CALLS; i += 8) {
      UnitOfWork.begin("GET /orders/{id}");
      try {
        for (int j = i; j < i + 8; j++) {
          ps.setInt(1, j & (ROWS - 1));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            bh.consume(rs.getLong(2));
          }
        }
      } finally {
        UnitOfWork.end();
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void telemetryKitNoopTracer(Blackhole bh) throws SQLException {
    selects(telemetryKitNoopTracer, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void telemetryKitSdkSpans(Blackhole bh) throws SQLException {
    selects(telemetryKitSdkSpans, bh);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void datasourceProxy(Blackhole bh) throws SQLException {
    selects(datasourceProxy, bh);
  }
}
