package dev.telemetrykit.tracing;

import dev.telemetrykit.core.Settings;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.TelemetryModule;
import dev.telemetrykit.core.meter.CallbackFamily;
import dev.telemetrykit.tracing.internal.CountingMetricExporter;
import dev.telemetrykit.core.redaction.Signal;
import dev.telemetrykit.tracing.internal.CountingSpanExporter;
import dev.telemetrykit.tracing.internal.RedactingSpanExporter;
import dev.telemetrykit.tracing.internal.EmbeddedSpanProcessor;
import dev.telemetrykit.tracing.internal.ExportCounters;
import dev.telemetrykit.tracing.internal.OtelProperties;
import dev.telemetrykit.tracing.internal.PrometheusMetricProducer;
import dev.telemetrykit.tracing.internal.SdkSelfMetricsReader;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the OpenTelemetry SDK when {@code telemetrykit-tracing} is on the class path. Found by
 * {@link java.util.ServiceLoader}; applications do not create it, they reach it with
 * {@code telemetry.module(TracingModule.class)} or use {@link Tracing#create(TelemetryKit)}.
 *
 * <pre>{@code
 * // OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 OTEL_TRACES_SAMPLER=parentbased_traceidratio
 * // OTEL_TRACES_SAMPLER_ARG=0.1
 * try (TelemetryKit telemetry = TelemetryKit.start("orders-service")) {
 *   OpenTelemetry otel = telemetry.module(TracingModule.class).orElseThrow().openTelemetry();
 * }
 * }</pre>
 *
 * <p>On {@link #start(TelemetryKit)} it builds the SDK with
 * {@code opentelemetry-sdk-extension-autoconfigure}, so every standard {@code OTEL_*}
 * environment variable and {@code otel.*} system property works as documented by
 * OpenTelemetry; values set with {@code TelemetryKit.builder().setting("OTEL_...", v)} win over
 * both. TelemetryKit only changes defaults: {@code service.name} is the name given to
 * {@code start}; the SDK's metrics and logs exporters are off; spans are exported only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code _TRACES_ENDPOINT}) is set, over
 * {@code http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}. An invalid value
 * fails {@code TelemetryKit.start} with an {@link IllegalArgumentException} naming the setting.
 *
 * <p>The SDK becomes the {@link GlobalOpenTelemetry}, so spans of the http, jdbc and cache
 * modules (which use only the OpenTelemetry API) become real, and client_java attaches
 * exemplars. If a global OpenTelemetry is already installed (the OpenTelemetry Java agent),
 * that one is used and no second SDK is built. On {@link #close()} the SDK is shut down —
 * queued spans are flushed, waiting at most {@value #SHUTDOWN_TIMEOUT}
 * (default 10s) — and the global is reset, so a later {@code TelemetryKit.start} in the same
 * JVM installs a fresh SDK.
 *
 * <p>Self-metrics: {@value TracingMetrics#SPANS_EXPORTED}{@code {result}} (see
 * {@link TracingMetrics}).
 *
 * @since 0.1.0
 */
public final class TracingModule implements TelemetryModule {

  /** Setting: how long {@code close()} waits for queued spans to be exported, default 10s. */
  public static final String SHUTDOWN_TIMEOUT = "TELEMETRYKIT_TRACING_SHUTDOWN_TIMEOUT";

  /** Starts before every module that creates spans. */
  public static final int ORDER = 10;

  private static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  private static final Logger LOG = LoggerFactory.getLogger(TracingModule.class);
  private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final ExportCounters counters = new ExportCounters();
  private final ExportCounters metricCounters = new ExportCounters();
  private volatile boolean metricsExporter;
  private final SdkSelfMetricsReader sdkMetrics = new SdkSelfMetricsReader();
  private final List<CallbackFamily.Registration> registrations = new ArrayList<>();
  private volatile OpenTelemetry openTelemetry = OpenTelemetry.noop();
  private OpenTelemetrySdk sdk;
  private boolean ownsGlobal;
  private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

  /** For {@link java.util.ServiceLoader}. */
  public TracingModule() {}

  @Override
  public String name() {
    return "tracing";
  }

  @Override
  public int order() {
    return ORDER;
  }

  /**
   * The OpenTelemetry in use: the SDK this module built, or the global one that was already
   * installed (the Java agent's). No-op before {@code start} and after {@code close}.
   */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  @Override
  public void start(TelemetryKit telemetry) {
    Settings settings = telemetry.settings();
    shutdownTimeout = settings.duration(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT);
    if (GlobalOpenTelemetry.isSet()) {
      if (GlobalOpenTelemetry.getTracerProvider() != TracerProvider.noop()) {
        openTelemetry = GlobalOpenTelemetry.get();
        LOG.info("A global OpenTelemetry is already installed (e.g. by the OpenTelemetry Java"
            + " agent); TelemetryKit uses it and builds no SDK of its own. OTEL_* settings and"
            + " span export are then the agent's.");
        return;
      }
      // Someone called GlobalOpenTelemetry.get() before start, which installs a no-op for good.
      LOG.warn("GlobalOpenTelemetry.get() was called before TelemetryKit.start and installed a"
          + " no-op OpenTelemetry; TelemetryKit replaces it. Tracers obtained before start stay"
          + " no-op: obtain tracers after TelemetryKit.start.");
      GlobalOpenTelemetry.resetForTest();
    }

    Map<String, String> defaults = OtelProperties.defaults(settings, telemetry.serviceName());
    Map<String, String> explicit = OtelProperties.explicit(settings);
    String instanceId = telemetry.serviceInstanceId();
    String version = telemetry.serviceVersion().orElse(null);
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addPropertiesCustomizer(config -> explicit)
          .addPropertiesCustomizer(config -> identify(config, explicit, instanceId, version))
          .addTracerProviderCustomizer((builder, config) ->
              builder.addSpanProcessor(new EmbeddedSpanProcessor()))
          .addSpanExporterCustomizer((exporter, config) -> new CountingSpanExporter(
              new RedactingSpanExporter(exporter, telemetry.redactor(),
                  telemetry.instrumentationErrors()),
              counters, telemetry.instrumentationErrors()))
          .addMeterProviderCustomizer((builder, config) -> builder.registerMetricReader(sdkMetrics)
              .registerMetricProducer(new PrometheusMetricProducer(telemetry.registry())))
          // Only called when OTEL_METRICS_EXPORTER names an exporter (default none).
          .addMetricExporterCustomizer((exporter, config) -> {
            metricsExporter = true;
            return new CountingMetricExporter(exporter, metricCounters,
                telemetry.instrumentationErrors());
          })
          .setServiceClassLoader(TracingModule.class.getClassLoader())
          .disableShutdownHook() // TelemetryKit's own hook closes this module
          .build()
          .getOpenTelemetrySdk();
    } catch (ConfigurationException | IllegalArgumentException e) {
      throw new IllegalArgumentException(OtelProperties.describe(settings, e.getMessage()), e);
    }
    GlobalOpenTelemetry.set(sdk);
    ownsGlobal = true;
    openTelemetry = sdk;

    CallbackFamily exported = telemetry.meters().callbackCounter(TracingMetrics.SPANS_EXPORTED)
        .help("Spans by export result: success/failure as the exporter reported them,"
            + " dropped when the export queue was full")
        .labelNames(TracingMetrics.RESULT).component(TracingMetrics.COMPONENT).register();
    registrations.add(exported.add(counters::success, TracingMetrics.SUCCESS));
    registrations.add(exported.add(counters::failure, TracingMetrics.FAILURE));
    registrations.add(exported.add(sdkMetrics::droppedSpans, TracingMetrics.DROPPED));
    if (metricsExporter) {
      CallbackFamily metrics = telemetry.meters()
          .callbackCounter(TracingMetrics.METRICS_EXPORTED)
          .help("Metrics pushed over OTLP (one per metric name and export), by export result")
          .labelNames(TracingMetrics.RESULT).component(TracingMetrics.METRICS_COMPONENT)
          .register();
      registrations.add(metrics.add(metricCounters::success, TracingMetrics.SUCCESS));
      registrations.add(metrics.add(metricCounters::failure, TracingMetrics.FAILURE));
    }
    telemetry.redactor().forSignal(Signal.SPAN).declareSeries();
  }

  /**
   * Adds {@code service.instance.id} (the same ID as {@code target_info}'s, so metrics and
   * spans name one process) and {@code service.version} to {@code otel.resource.attributes},
   * unless the user's attributes already have them.
   */
  private static Map<String, String> identify(ConfigProperties config,
      Map<String, String> explicit, String instanceId, String version) {
    Map<String, String> attributes = new LinkedHashMap<>();
    String configured = explicit.containsKey(RESOURCE_ATTRIBUTES)
        ? explicit.get(RESOURCE_ATTRIBUTES) : config.getString(RESOURCE_ATTRIBUTES, "");
    Map<String, String> existing = config.getMap(RESOURCE_ATTRIBUTES);
    if (!existing.containsKey("service.instance.id")) {
      attributes.put("service.instance.id", instanceId);
    }
    if (version != null && !existing.containsKey("service.version")) {
      attributes.put("service.version", version);
    }
    if (attributes.isEmpty()) {
      return Map.of();
    }
    StringBuilder merged = new StringBuilder(configured.trim());
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (merged.length() > 0) {
        merged.append(',');
      }
      merged.append(e.getKey()).append('=').append(percentEncode(e.getValue()));
    }
    return Map.of(RESOURCE_ATTRIBUTES, merged.toString());
  }

  /** Resource attribute values are percent-decoded by autoconfigure (W3C Baggage rules). */
  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /**
   * Resets the global, then shuts the SDK down, exporting the spans still queued (bounded by
   * {@value #SHUTDOWN_TIMEOUT}). Never throws.
   */
  @Override
  public void close() {
    for (CallbackFamily.Registration r : registrations) {
      r.close();
    }
    registrations.clear();
    openTelemetry = OpenTelemetry.noop();
    if (ownsGlobal) {
      // GlobalOpenTelemetry.set() works once per JVM; resetForTest() is the API's only way to
      // undo it (public, despite the name). Without it, a second TelemetryKit.start in the same
      // JVM (tests, redeploys in a container) would fail in set(). We only reset what we set.
      GlobalOpenTelemetry.resetForTest();
      ownsGlobal = false;
    }
    if (sdk != null) {
      try {
        CompletableResultCode done = sdk.shutdown().join(
            shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done.isDone()) {
          LOG.warn("OpenTelemetry SDK did not finish exporting queued spans within {} ({});"
              + " they are lost", shutdownTimeout, SHUTDOWN_TIMEOUT);
        }
      } catch (RuntimeException e) {
        LOG.warn("OpenTelemetry SDK failed to shut down", e);
      }
      sdk = null;
    }
  }
}
