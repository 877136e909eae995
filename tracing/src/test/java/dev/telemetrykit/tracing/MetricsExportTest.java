package dev.telemetrykit.tracing;

import static dev.telemetrykit.tracing.Kits.ENDPOINT;
import static dev.telemetrykit.tracing.Kits.kit;
import static dev.telemetrykit.tracing.Kits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.GuardedCounter;
import dev.telemetrykit.core.meter.GuardedGauge;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.testing.Scrapes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * OTEL_METRICS_EXPORTER=otlp pushes the registry through the SDK's periodic reader and OTLP
 * exporter to a real OTLP/HTTP receiver on loopback; the receiver decodes the requests with
 * opentelemetry-proto.
 */
class MetricsExportTest {

  private static final String METRICS = "OTEL_METRICS_EXPORTER";
  private static final String INTERVAL = "OTEL_METRIC_EXPORT_INTERVAL";
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @Test
  void pushedCounterGaugeAndHistogramEqualAScrapeOfTheSameMoment() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      AtomicReference<String> traceId = new AtomicReference<>();
      String scrape;
      String instanceId;
      TelemetryKit kit = kit("otlp-shop").setting(ENDPOINT, receiver.endpoint())
          .setting(METRICS, "otlp")
          .setting(INTERVAL, "3600000")   // only the final export on close()
          .start();
      try {
        instanceId = kit.serviceInstanceId();
        GuardedCounter orders = kit.meters().counter("orders_placed_total").help("Orders")
            .labelNames("channel").register();
        GuardedGauge stock = kit.meters().gauge("inventory_items").help("Items in stock")
            .labelNames("warehouse").register();
        GuardedHistogram latency = kit.meters().histogram("checkout_duration_seconds")
            .help("Checkout time").labelNames("http_route").register();
        orders.labelValues("web").inc(3);
        orders.labelValues("app").inc(2);
        stock.labelValues("north").set(41);
        stock.labelValues("south").set(-2.5);
        for (double v : new double[] {0.003, 0.04, 0.04, 0.3, 7, 42}) {
          latency.labelValues("/cart").observe(v);
        }
        Tracing.create(kit).run("checkout", () -> {
          traceId.set(Span.current().getSpanContext().getTraceId());
          latency.labelValues("/pay").observe(0.2);
        });
        scrape = Scrapes.text(kit.metricsPort());
      } finally {
        kit.close();   // exports the final batch: nothing was recorded after the scrape
      }

      List<ExportMetricsServiceRequest> requests = receiver.metricRequests();
      assertThat(requests).isNotEmpty();
      ExportMetricsServiceRequest last = requests.get(requests.size() - 1);
      ResourceMetrics rm = last.getResourceMetrics(0);
      Map<String, String> resource = new LinkedHashMap<>();
      for (KeyValue kv : rm.getResource().getAttributesList()) {
        resource.put(kv.getKey(), OtlpReceiver.render(kv.getValue()));
      }
      assertThat(resource).containsEntry("service.name", "otlp-shop")
          .containsEntry("service.instance.id", instanceId);

      Map<String, Metric> byName = new TreeMap<>();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          byName.put(m.getName(), m);
        }
      }
      assertThat(byName).doesNotContainKey("target_info").doesNotContainKey("target");

      Metric orders = byName.get("orders_placed_total");
      assertThat(orders.hasSum()).isTrue();
      assertThat(orders.getSum().getIsMonotonic()).isTrue();
      assertThat(orders.getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(byName.get("inventory_items").hasGauge()).isTrue();
      Metric latency = byName.get("checkout_duration_seconds");
      assertThat(latency.hasHistogram()).isTrue();
      assertThat(latency.getUnit()).isEqualTo("s");
      assertThat(latency.getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);

      String[] names = {"orders_placed_total", "inventory_items", "checkout_duration_seconds"};
      Map<String, Double> scraped = parseScrape(scrape, names);
      Map<String, Double> pushed = flatten(byName, names);
      assertThat(scraped).hasSize(2 + 2 + 2 * (11 + 1 + 2));   // 11 default bounds + Inf, sum, count
      assertThat(pushed).isEqualTo(scraped);

      List<String> exemplarTraces = new ArrayList<>();
      for (HistogramDataPoint p : latency.getHistogram().getDataPointsList()) {
        for (Exemplar e : p.getExemplarsList()) {
          exemplarTraces.add(HexFormat.of().formatHex(e.getTraceId().toByteArray()));
        }
      }
      assertThat(exemplarTraces).contains(traceId.get());
      assertThat(receiver.awaitSpans(1)).extracting(OtlpReceiver.Received::traceId)
          .contains(traceId.get());
    }
  }

  @Test
  void metricsExportIsOffByDefault() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      try (TelemetryKit kit = kit("default-off").setting(ENDPOINT, receiver.endpoint())
          .setting(INTERVAL, "100").start()) {
        kit.meters().counter("orders_placed_total").help("Orders").register().labelValues()
            .inc();
        Tracing.create(kit).run("work", () -> { });
        assertThat(Scrapes.text(kit.metricsPort()))
            .doesNotContain("telemetrykit_metrics_exported_total");
      }
      receiver.awaitSpans(1);   // traces went out; metrics did not
      assertThat(receiver.metricRequests()).isEmpty();
    }
  }

  @Test
  void refusedReceiverIsCountedTheAppIsUnaffectedAndExportResumes() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();   // closed again: connections to it are refused
    }
    try (TelemetryKit kit = kit("receiver-down").setting(METRICS, "otlp")
        .setting("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://127.0.0.1:" + port + "/v1/metrics")
        .setting(INTERVAL, "100")
        .setting("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "1000")
        .setting(TracingModule.SHUTDOWN_TIMEOUT, "5s")
        .start()) {
      GuardedCounter work = kit.meters().counter("jobs_done_total").help("Jobs")
          .register();
      waitUntil("refused export counted", () -> exported(kit, "failure") > 0);
      int done = 0;
      for (int i = 0; i < 100_000; i++) {   // the application keeps recording meanwhile
        work.labelValues().inc();
        done++;
      }
      assertThat(done).isEqualTo(100_000);
      assertThat(exported(kit, "success")).isZero();

      try (OtlpReceiver receiver = OtlpReceiver.start(port)) {
        waitUntil("export resumed", () -> receiver.metricRequests().stream()
            .anyMatch(r -> value(r, "jobs_done_total") == 100_000));
        waitUntil("success counted", () -> exported(kit, "success") > 0);
      }
    }
  }

  @Test
  void blackHoledReceiverNeverBlocksRecordingAndCloseReturns() throws Exception {
    try (BlackHole hole = new BlackHole()) {
      TelemetryKit kit = kit("receiver-black-holed").setting(METRICS, "otlp")
          .setting("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", hole.endpoint() + "/v1/metrics")
          .setting(INTERVAL, "100")
          .setting("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "2000")
          .setting(TracingModule.SHUTDOWN_TIMEOUT, "500ms")
          .start();
      try {
        GuardedCounter work = kit.meters().counter("jobs_done_total").help("Jobs").register();
        hole.awaitFirstRequest();   // the exporter now waits for an answer that never comes
        for (int i = 0; i < 100_000; i++) {
          work.labelValues().inc();
        }
        assertThat(Scrapes.value(Scrapes.text(kit.metricsPort()), "jobs_done_total"))
            .isEqualTo(100_000);
        waitUntil("timed-out export counted", () -> exported(kit, "failure") > 0);
      } finally {
        kit.close();   // gives up on the final export after the shutdown timeout
      }
      assertThat(TelemetryKit.current()).isEmpty();
    }
  }

  @Test
  void anUnknownMetricsExporterFailsStartNamingTheSetting() {
    assertThatThrownBy(() -> kit("bad-exporter").setting(METRICS, "carrier-pigeon").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_METRICS_EXPORTER")
        .hasMessageContaining("carrier-pigeon");
    assertThat(TelemetryKit.current()).isEmpty();
  }

  private static double exported(TelemetryKit kit, String result) {
    return Scrapes.value(Scrapes.text(kit.metricsPort()),
        TracingMetrics.METRICS_EXPORTED + "{result=\"" + result + "\"}");
  }

  private static double value(ExportMetricsServiceRequest request, String name) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (m.getName().equals(name) && m.hasSum()) {
            return m.getSum().getDataPoints(0).getAsDouble();
          }
        }
      }
    }
    return -1;
  }

  /** Prometheus text samples of these metrics, keyed {@code name{sorted labels}}. */
  private static Map<String, Double> parseScrape(String text, String... names) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      String name = m.group(1);
      boolean wanted = false;
      for (String n : names) {
        wanted |= name.equals(n) || name.equals(n + "_bucket") || name.equals(n + "_count")
            || name.equals(n + "_sum");
      }
      if (!wanted) {
        continue;
      }
      TreeMap<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(1).equals("le") ? le(l.group(2)) : l.group(2));
        }
      }
      out.put(key(name, labels), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  /** The OTLP points in the same shape: histogram buckets made cumulative, with +Inf. */
  private static Map<String, Double> flatten(Map<String, Metric> metrics, String... names) {
    Map<String, Double> out = new TreeMap<>();
    for (String name : names) {
      Metric m = metrics.get(name);
      if (m.hasSum() || m.hasGauge()) {
        List<NumberDataPoint> points = m.hasSum() ? m.getSum().getDataPointsList()
            : m.getGauge().getDataPointsList();
        for (NumberDataPoint p : points) {
          out.put(key(name, labels(p.getAttributesList())), p.getAsDouble());
        }
      } else {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          TreeMap<String, String> labels = labels(p.getAttributesList());
          long cumulative = 0;
          for (int i = 0; i < p.getBucketCountsCount(); i++) {
            cumulative += p.getBucketCounts(i);
            TreeMap<String, String> withLe = new TreeMap<>(labels);
            withLe.put("le", i < p.getExplicitBoundsCount()
                ? le(Double.toString(p.getExplicitBounds(i))) : "+Inf");
            out.put(key(name + "_bucket", withLe), (double) cumulative);
          }
          out.put(key(name + "_count", labels), (double) p.getCount());
          out.put(key(name + "_sum", labels), p.getSum());
        }
      }
    }
    return out;
  }

  private static TreeMap<String, String> labels(List<KeyValue> attributes) {
    TreeMap<String, String> labels = new TreeMap<>();
    for (KeyValue kv : attributes) {
      labels.put(kv.getKey(), OtlpReceiver.render(kv.getValue()));
    }
    return labels;
  }

  private static String le(String v) {
    return v.equals("+Inf") ? v : Double.toString(Double.parseDouble(v));
  }

  private static String key(String name, Map<String, String> labels) {
    return name + labels;
  }
}
