package dev.telemetrykit.core;

import dev.telemetrykit.core.health.Health;
import dev.telemetrykit.core.internal.GuardedHttpServer;
import dev.telemetrykit.core.internal.DashboardHandler;
import dev.telemetrykit.core.internal.MetricsServer;
import dev.telemetrykit.core.internal.PushgatewayPusher;
import dev.telemetrykit.core.internal.RedactionCounts;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running TelemetryKit of this process: one registry, one metrics endpoint, the started
 * modules. Start it with one line in {@code main}:
 *
 * <pre>{@code
 * TelemetryKit telemetry = TelemetryKit.start("orders-service");
 * }</pre>
 *
 * <p>{@code start} reads the configuration (see {@link Settings}: {@code OTEL_SERVICE_NAME},
 * {@code OTEL_EXPORTER_PROMETHEUS_HOST}/{@code _PORT}, {@code TELEMETRYKIT_*}); registers
 * JVM/process metrics and {@code target_info}; starts the metrics server ({@code /metrics} in
 * Prometheus text, OpenMetrics or protobuf by content negotiation, gzip, {@code name[]}
 * filtering; {@code /health}, {@code /health/live}, {@code /health/ready} fed by
 * {@link #health()}); starts every {@link TelemetryModule} found on the class path;
 * and installs a shutdown hook. Bad configuration fails here, with an
 * {@link IllegalArgumentException} naming the setting, the value and what is allowed; nothing
 * is left running when {@code start} throws.
 *
 * <p>The same things can be set in code, where they win over the environment:
 *
 * <pre>{@code
 * TelemetryKit telemetry = TelemetryKit.builder()
 *     .serviceName("orders-service")
 *     .metricsPort(0)                       // any free port; see metricsPort()
 *     .metricsBasicAuth("prometheus", secret)
 *     .start();
 * }</pre>
 *
 * <p><b>One per process.</b> Tracing and logging are process-wide, so only one TelemetryKit
 * runs at a time: a second {@code start} while one is open throws
 * {@link IllegalStateException} naming the running service (pass the handle around instead);
 * after {@link #close()} a new one may start.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 *
 * @since 0.1.0
 */
public final class TelemetryKit implements AutoCloseable {

  /** Setting: service name; the name given to {@code start} is its default. */
  public static final String SERVICE_NAME = "OTEL_SERVICE_NAME";
  /** Setting: bind address of the metrics server, default {@code 0.0.0.0}. */
  public static final String METRICS_HOST = "OTEL_EXPORTER_PROMETHEUS_HOST";
  /** Setting: port of the metrics server, default {@code 9464}; {@code 0} = any free port. */
  public static final String METRICS_PORT = "OTEL_EXPORTER_PROMETHEUS_PORT";
  /** Setting: whether to start the metrics server at all, default {@code true}. */
  public static final String METRICS_ENABLED = "TELEMETRYKIT_METRICS_ENABLED";
  /** Setting: basic-auth user for {@code /metrics}; requires {@link #METRICS_PASSWORD}. */
  public static final String METRICS_USERNAME = "TELEMETRYKIT_METRICS_USERNAME";
  /** Setting: basic-auth password for {@code /metrics}; requires {@link #METRICS_USERNAME}. */
  public static final String METRICS_PASSWORD = "TELEMETRYKIT_METRICS_PASSWORD";
  /**
   * Setting: serve the built-in dashboard at {@code /} on the metrics port (same basic auth as
   * {@code /metrics}), default {@code true}.
   */
  public static final String DASHBOARD_ENABLED = "TELEMETRYKIT_DASHBOARD_ENABLED";
  /** Setting: register JVM and process metrics, default {@code true}. */
  public static final String JVM_METRICS = "TELEMETRYKIT_JVM_METRICS";
  /**
   * Setting: also register {@code jvm_memory_pool_allocated_bytes_total}, default {@code true}.
   * It is the only JVM metric that works between scrapes: it listens to every garbage
   * collection, and the JVM spends about 0.9 ms of CPU delivering each notification.
   */
  public static final String JVM_ALLOCATION_METRICS = "TELEMETRYKIT_JVM_ALLOCATION_METRICS";
  /** Setting: install a shutdown hook that closes TelemetryKit, default {@code true}. */
  public static final String SHUTDOWN_HOOK = "TELEMETRYKIT_SHUTDOWN_HOOK";
  /** Setting: cap on distinct label sets per metric, default {@value #DEFAULT_CARDINALITY_LIMIT}. */
  public static final String CARDINALITY_LIMIT = "TELEMETRYKIT_CARDINALITY_LIMIT";
  /** Setting: service version on {@code target_info}, spans and logs. */
  public static final String SERVICE_VERSION = "TELEMETRYKIT_SERVICE_VERSION";

  /**
   * Setting: time a client of the metrics port has to send a whole request, and to take the
   * response, default {@code 5s}; slower connections are cut and counted as
   * {@code telemetrykit_metrics_server_rejected_total{reason="timeout"}}.
   */
  public static final String METRICS_REQUEST_TIMEOUT = "TELEMETRYKIT_METRICS_REQUEST_TIMEOUT";
  /** Setting: an idle keep-alive connection to the metrics port closes after this, default {@code 30s}. */
  public static final String METRICS_IDLE_TIMEOUT = "TELEMETRYKIT_METRICS_IDLE_TIMEOUT";
  /** Setting: open connections the metrics port accepts, default {@code 512}. */
  public static final String METRICS_MAX_CONNECTIONS = "TELEMETRYKIT_METRICS_MAX_CONNECTIONS";
  /** Setting: threads that run metrics-port requests, default {@code 2}. */
  public static final String METRICS_THREADS = "TELEMETRYKIT_METRICS_THREADS";

  /**
   * Setting: whether {@code /health*} needs the basic-auth credentials of {@code /metrics} too,
   * default {@code false} (probes carry no credentials).
   */
  public static final String METRICS_HEALTH_AUTH = "TELEMETRYKIT_METRICS_HEALTH_AUTH";

  /**
   * Setting: path of a PKCS12 key store (key and certificate chain); when set, the metrics
   * port speaks HTTPS only. Needs {@link #METRICS_TLS_KEYSTORE_PASSWORD}.
   */
  public static final String METRICS_TLS_KEYSTORE = "TELEMETRYKIT_METRICS_TLS_KEYSTORE";
  /** Setting: password of {@link #METRICS_TLS_KEYSTORE} and of the key in it. */
  public static final String METRICS_TLS_KEYSTORE_PASSWORD =
      "TELEMETRYKIT_METRICS_TLS_KEYSTORE_PASSWORD";

  /**
   * Setting: base URL of a Prometheus Pushgateway, e.g. {@code http://pushgateway:9091}; when
   * set, the registry is pushed there on {@link #close()} (and every
   * {@link #PUSHGATEWAY_INTERVAL}) with job = the service name.
   */
  public static final String PUSHGATEWAY_URL = "TELEMETRYKIT_PUSHGATEWAY_URL";
  /** Setting: also push every interval (e.g. {@code 30s}); default {@code 0} = only on close. */
  public static final String PUSHGATEWAY_INTERVAL = "TELEMETRYKIT_PUSHGATEWAY_INTERVAL";
  /** Setting: the {@code instance} grouping key, default the host name. */
  public static final String PUSHGATEWAY_INSTANCE = "TELEMETRYKIT_PUSHGATEWAY_INSTANCE";
  /** Setting: basic-auth user for the Pushgateway; requires {@link #PUSHGATEWAY_PASSWORD}. */
  public static final String PUSHGATEWAY_USERNAME = "TELEMETRYKIT_PUSHGATEWAY_USERNAME";
  /** Setting: basic-auth password for the Pushgateway; requires {@link #PUSHGATEWAY_USERNAME}. */
  public static final String PUSHGATEWAY_PASSWORD = "TELEMETRYKIT_PUSHGATEWAY_PASSWORD";
  /**
   * Setting: PEM file of the CA certificate(s) to trust for an {@code https} Pushgateway URL,
   * instead of the JVM's default trust store.
   */
  public static final String PUSHGATEWAY_CA_FILE = "TELEMETRYKIT_PUSHGATEWAY_CA_FILE";
  /** Metric counting Pushgateway pushes by {@code result} ({@code success}/{@code failure}). */
  public static final String PUSHGATEWAY_PUSHES_METRIC = "telemetrykit_pushgateway_pushes_total";

  /** Default of {@link #CARDINALITY_LIMIT}, the OpenTelemetry SDK's. */
  public static final int DEFAULT_CARDINALITY_LIMIT = 2000;
  /** Default of {@link #METRICS_PORT}, the OpenTelemetry Prometheus exporter's. */
  public static final int DEFAULT_METRICS_PORT = 9464;

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryKit.class);
  private static final AtomicReference<TelemetryKit> RUNNING = new AtomicReference<>();

  private final String serviceName;
  private final String serviceVersion;
  private final String serviceInstanceId;
  private final Settings settings;
  private final PrometheusRegistry registry;
  private final InstrumentationErrors instrumentationErrors;
  private final Meters meters;
  private final Health health;
  private final List<TelemetryModule> modules = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Throwable startedAt;
  private Counter errorCounter;
  private Counter overflowCounter;
  private Counter pushCounter;
  private PushgatewayPusher pusher;
  private final Redactor redactor;
  private final Counter redactionCounter;
  private Info targetInfo;
  private MetricsServer server;
  private Thread shutdownHook;

  private TelemetryKit(Builder builder, Settings settings, String serviceName,
      String serviceVersion, int cardinalityLimit, Redactor redactor) {
    this.settings = settings;
    this.redactor = redactor;
    this.redactionCounter = Counter.builder().name(Redactor.METRIC)
        .help("Secrets masked before leaving the process, by signal and detection rule")
        .labelNames("signal", "rule").build();
    this.serviceName = serviceName;
    this.serviceVersion = serviceVersion;
    this.serviceInstanceId = UUID.randomUUID().toString();
    this.registry = builder.registry != null ? builder.registry : PrometheusRegistry.defaultRegistry;
    this.errorCounter = Counter.builder().name(InstrumentationErrors.METRIC_NAME)
        .help("Failures inside TelemetryKit instrumentation, caught before reaching the application")
        .labelNames("component").build();
    this.overflowCounter = Counter.builder().name(Meters.CARDINALITY_OVERFLOW_METRIC)
        .help("Recordings folded into a metric's _OTHER series past its cardinality limit")
        .labelNames("metric").build();
    this.instrumentationErrors = new InstrumentationErrors(errorCounter);
    this.meters = new Meters(registry, cardinalityLimit, instrumentationErrors, overflowCounter,
        redactor.forSignal(Signal.METRIC));
    this.health = new Health(serviceName);
    this.startedAt = new Throwable("TelemetryKit for '" + serviceName + "' was started here");
  }

  /**
   * Starts TelemetryKit with every setting from the environment.
   *
   * @param serviceName the service name, used unless {@code OTEL_SERVICE_NAME} is set
   * @throws IllegalArgumentException for a blank name or an invalid setting
   * @throws IllegalStateException if the metrics port is taken, or TelemetryKit already runs
   */
  public static TelemetryKit start(String serviceName) {
    return builder().serviceName(serviceName).start();
  }

  /** A builder for setting things in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** The service name in use (after {@code OTEL_SERVICE_NAME}). */
  public String serviceName() {
    return serviceName;
  }

  /** The service version, or empty if none was configured. */
  public Optional<String> serviceVersion() {
    return Optional.ofNullable(serviceVersion);
  }

  /** A random ID of this process's TelemetryKit, reported as {@code service_instance_id}. */
  public String serviceInstanceId() {
    return serviceInstanceId;
  }

  /** The Prometheus registry; register raw client_java metrics here. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Factory of guarded metrics and TelemetryKit's ready-made meters. */
  public Meters meters() {
    return meters;
  }

  /** The configuration, for modules and instrumentation that read their own settings. */
  public Settings settings() {
    return settings;
  }

  /**
   * The health model: register checks here; they feed {@code /health}, {@code /health/live},
   * {@code /health/ready} and the {@code health_check_*} metrics.
   */
  public Health health() {
    return health;
  }

  /**
   * The redaction engine every signal passes through, configured by the
   * {@code TELEMETRYKIT_REDACT_*} settings and counting into
   * {@code telemetrykit_redactions_total}. Pick the signal the text is headed for:
   * {@code telemetry.redactor().forSignal(Signal.HEALTH).redact(reason)}. Without a handle,
   * {@link Redactor#current()} returns this same engine while TelemetryKit runs.
   */
  public Redactor redactor() {
    return redactor;
  }

  /** Where instrumentation reports failures it caught. */
  public InstrumentationErrors instrumentationErrors() {
    return instrumentationErrors;
  }

  /**
   * The port the metrics server actually bound (useful with port {@code 0}), or {@code -1}
   * when the server is disabled.
   */
  public int metricsPort() {
    return server == null ? -1 : server.port();
  }

  /** The started module of this type, if it is on the class path and running. */
  public <T extends TelemetryModule> Optional<T> module(Class<T> type) {
    synchronized (modules) {
      for (TelemetryModule m : modules) {
        if (type.isInstance(m)) {
          return Optional.of(type.cast(m));
        }
      }
    }
    return Optional.empty();
  }

  /** Names of the started modules, in start order. */
  public List<String> moduleNames() {
    List<String> names = new ArrayList<>();
    synchronized (modules) {
      for (TelemetryModule m : modules) {
        names.add(m.name());
      }
    }
    return Collections.unmodifiableList(names);
  }

  /** The running TelemetryKit of this process, if one is started and not closed. */
  public static Optional<TelemetryKit> current() {
    return Optional.ofNullable(RUNNING.get());
  }

  /**
   * Stops the modules in reverse start order (they flush spans and logs), stops the metrics
   * server, pushes the registry a last time when {@link #PUSHGATEWAY_URL} is set (a failed push
   * is logged and counted, never thrown), and unregisters what TelemetryKit registered.
   * Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Readiness goes 503 before anything stops, so load balancers drain while we flush.
    health.beginShutdown();
    List<TelemetryModule> reversed;
    synchronized (modules) {
      reversed = new ArrayList<>(modules);
    }
    Collections.reverse(reversed);
    for (TelemetryModule module : reversed) {
      try {
        module.close();
      } catch (Throwable t) {
        LOG.warn("TelemetryKit module '{}' failed to close", module.name(), t);
      }
    }
    if (server != null) {
      try {
        server.close();
      } catch (Throwable t) {
        LOG.warn("TelemetryKit metrics server failed to stop", t);
      }
    }
    if (pusher != null) {
      // After the modules flushed (their export counters are final), before anything is
      // unregistered: this push is what a batch job leaves in the gateway.
      try {
        pusher.close();
      } catch (Throwable t) {
        LOG.warn("TelemetryKit Pushgateway pusher failed to stop", t);
      }
    }
    health.close();
    meters.unregisterAll();
    if (targetInfo != null) {
      registry.unregister(targetInfo);
    }
    registry.unregister(errorCounter);
    registry.unregister(overflowCounter);
    if (pushCounter != null) {
      registry.unregister(pushCounter);
    }
    redactor.countInto(Redactor.Counts.NONE);
    registry.unregister(redactionCounter);
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already shutting down; the hook is running or ran.
      }
    }
    RUNNING.compareAndSet(this, null);
  }

  private void startAll(Builder builder) {
    registry.register(errorCounter);
    registry.register(overflowCounter);
    health.bind(registry);
    registry.register(redactionCounter);
    redactor.countInto(new RedactionCounts(redactionCounter));
    redactor.forSignal(Signal.METRIC).declareSeries();
    List<String> infoLabels = new ArrayList<>(List.of("service_name", "service_instance_id"));
    List<String> infoValues = new ArrayList<>(List.of(serviceName, serviceInstanceId));
    if (serviceVersion != null) {
      infoLabels.add("service_version");
      infoValues.add(serviceVersion);
    }
    infoLabels.add("telemetry_sdk_name");
    infoValues.add("telemetrykit");
    infoLabels.add("telemetry_sdk_language");
    infoValues.add("java");
    targetInfo = Info.builder().name("target_info")
        .help("Target metadata: the service this process runs")
        .labelNames(infoLabels.toArray(new String[0])).build();
    targetInfo.setLabelValues(infoValues.toArray(new String[0]));
    registry.register(targetInfo);
    if (builder.jvmMetrics) {
      JvmMetricSet.register(registry, builder.jvmAllocationMetrics);
    }
    startModules(builder);
    if (builder.metricsEnabled) {
      server = MetricsServer.start(registry, builder.metricsAddress, builder.metricsPort,
          builder.portSource, new MetricsServer.Config()
              .serviceName(serviceName)
              .basicAuth(builder.username, builder.password)
              .health(health, builder.healthAuth)
              .tls(builder.sslContext)
              .limits(builder.limits)
              .dashboard(builder.dashboardEnabled ? new DashboardHandler() : null));
    }
    if (builder.pushgatewayUrl != null) {
      pushCounter = Counter.builder().name(PUSHGATEWAY_PUSHES_METRIC)
          .help("Pushes of the registry to the Prometheus Pushgateway, by result")
          .labelNames("result").register(registry);
      pusher = new PushgatewayPusher(registry, builder.pushgatewayUrl, serviceName,
          builder.pushgatewayInstance, builder.pushgatewayUsername, builder.pushgatewayPassword,
          builder.pushgatewaySsl, builder.pushgatewayInterval,
          pushCounter.labelValues("success"), pushCounter.labelValues("failure"));
    }
    if (builder.shutdownHook) {
      shutdownHook = new Thread(this::close, "telemetrykit-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  private void startModules(Builder builder) {
    List<TelemetryModule> found = new ArrayList<>();
    if (builder.modules != null) {
      found.addAll(builder.modules);
    } else {
      for (TelemetryModule module : ServiceLoader.load(TelemetryModule.class,
          TelemetryKit.class.getClassLoader())) {
        found.add(module);
      }
    }
    found.sort(Comparator.comparingInt(TelemetryModule::order));
    for (TelemetryModule module : found) {
      try {
        module.start(this);
      } catch (IllegalArgumentException | IllegalStateException e) {
        module.close();
        throw e;
      } catch (Exception e) {
        module.close();
        throw new IllegalStateException(
            "TelemetryKit module '" + module.name() + "' failed to start: " + e.getMessage(), e);
      }
      synchronized (modules) {
        modules.add(module);
      }
    }
  }

  /**
   * Sets what {@link TelemetryKit#start(String)} reads from the environment, in code. Values
   * set here win over system properties and environment variables, except the service name,
   * which {@code OTEL_SERVICE_NAME} overrides (as in the OpenTelemetry SDK).
   *
   * <p>Not thread-safe; use from one thread, then call {@link #start()}.
   */
  public static final class Builder {
    private final Map<String, String> explicit = new LinkedHashMap<>();
    private String serviceName;
    private PrometheusRegistry registry;
    private List<TelemetryModule> modules;

    // Resolved in start().
    private boolean metricsEnabled;
    private boolean dashboardEnabled;
    private InetAddress metricsAddress;
    private int metricsPort;
    private String portSource;
    private String username;
    private String password;
    private boolean jvmMetrics;
    private boolean jvmAllocationMetrics;
    private boolean shutdownHook;
    private GuardedHttpServer.Limits limits;
    private boolean healthAuth;
    private SSLContext sslContext;
    private URI pushgatewayUrl;
    private String pushgatewayInstance;
    private String pushgatewayUsername;
    private String pushgatewayPassword;
    private SSLSocketFactory pushgatewaySsl;
    private Duration pushgatewayInterval;

    private Builder() {}

    /** The service name; {@code OTEL_SERVICE_NAME} overrides it. Required unless that is set. */
    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /** The service version ({@code service_version} on {@code target_info}). */
    public Builder serviceVersion(String serviceVersion) {
      return setting(SERVICE_VERSION, Objects.requireNonNull(serviceVersion, "serviceVersion"));
    }

    /** Use this registry instead of {@link PrometheusRegistry#defaultRegistry}. */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Bind address of the metrics server (default {@code 0.0.0.0}, all interfaces). */
    public Builder metricsHost(String host) {
      return setting(METRICS_HOST, Objects.requireNonNull(host, "host"));
    }

    /** Port of the metrics server; {@code 0} picks any free port. */
    public Builder metricsPort(int port) {
      return setting(METRICS_PORT, Integer.toString(port));
    }

    /** Whether to start the metrics server (off when the application serves the registry). */
    public Builder metricsServer(boolean enabled) {
      return setting(METRICS_ENABLED, Boolean.toString(enabled));
    }

    /** Protects {@code /metrics} with HTTP basic auth; {@code /health} stays open. */
    public Builder metricsBasicAuth(String username, String password) {
      setting(METRICS_USERNAME, Objects.requireNonNull(username, "username"));
      return setting(METRICS_PASSWORD, Objects.requireNonNull(password, "password"));
    }

    /**
     * Serves the metrics port over HTTPS with this context (its key managers hold the server
     * certificate); wins over {@code TELEMETRYKIT_METRICS_TLS_KEYSTORE}.
     */
    public Builder metricsTls(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** Whether to register JVM and process metrics (default on). */
    public Builder jvmMetrics(boolean enabled) {
      return setting(JVM_METRICS, Boolean.toString(enabled));
    }

    /**
     * Whether to register {@code jvm_memory_pool_allocated_bytes_total} with the JVM metrics
     * (default on); see {@link TelemetryKit#JVM_ALLOCATION_METRICS}.
     */
    public Builder jvmAllocationMetrics(boolean enabled) {
      return setting(JVM_ALLOCATION_METRICS, Boolean.toString(enabled));
    }

    /** Whether to install a shutdown hook that closes TelemetryKit (default on). */
    public Builder shutdownHook(boolean enabled) {
      return setting(SHUTDOWN_HOOK, Boolean.toString(enabled));
    }

    /**
     * Pushes the registry to this Prometheus Pushgateway (e.g. {@code http://pushgateway:9091})
     * when TelemetryKit closes, with job = the service name: for batch jobs that end before
     * Prometheus could scrape them.
     */
    public Builder pushgateway(String url) {
      return setting(PUSHGATEWAY_URL, Objects.requireNonNull(url, "url"));
    }

    /** Also pushes to the Pushgateway every interval while running (default: only on close). */
    public Builder pushgatewayInterval(Duration interval) {
      return setting(PUSHGATEWAY_INTERVAL,
          Objects.requireNonNull(interval, "interval").toMillis() + "ms");
    }

    /** HTTP basic auth for the Pushgateway. */
    public Builder pushgatewayBasicAuth(String username, String password) {
      setting(PUSHGATEWAY_USERNAME, Objects.requireNonNull(username, "username"));
      return setting(PUSHGATEWAY_PASSWORD, Objects.requireNonNull(password, "password"));
    }

    /** Cap on distinct label sets per metric (default 2000). */
    public Builder cardinalityLimit(int limit) {
      return setting(CARDINALITY_LIMIT, Integer.toString(limit));
    }

    /**
     * Sets any setting by its environment-variable name, e.g.
     * {@code setting("TELEMETRYKIT_LOG_FORMAT", "text")}; wins over the environment.
     */
    public Builder setting(String name, String value) {
      explicit.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Starts exactly these modules instead of discovering them with {@link ServiceLoader};
     * for tests and applications that assemble modules themselves.
     */
    public Builder modules(TelemetryModule... modules) {
      this.modules = List.of(modules);
      return this;
    }

    /**
     * Validates the configuration and starts TelemetryKit.
     *
     * @throws IllegalArgumentException for a blank service name or an invalid setting
     * @throws IllegalStateException if the metrics port is taken, a module fails to start, or
     *     another TelemetryKit is running in this process
     */
    public TelemetryKit start() {
      Settings settings = Settings.fromEnvironment(explicit);
      String name = settings.get(SERVICE_NAME).orElse(serviceName);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("The service name must not be null or blank: pass it"
            + " to TelemetryKit.start(\"my-service\") or set " + SERVICE_NAME);
      }
      name = name.trim();
      String version = settings.get(SERVICE_VERSION).orElse(null);
      int limit = settings.intValue(CARDINALITY_LIMIT, DEFAULT_CARDINALITY_LIMIT, 1, 1_000_000);
      metricsEnabled = settings.booleanValue(METRICS_ENABLED, true);
      dashboardEnabled = settings.booleanValue(DASHBOARD_ENABLED, true);
      String host = settings.string(METRICS_HOST, "0.0.0.0");
      metricsPort = settings.intValue(METRICS_PORT, DEFAULT_METRICS_PORT, 0, 65535);
      portSource = "port chosen by " + settings.describe(METRICS_PORT, DEFAULT_METRICS_PORT);
      jvmMetrics = settings.booleanValue(JVM_METRICS, true);
      jvmAllocationMetrics = settings.booleanValue(JVM_ALLOCATION_METRICS, true);
      shutdownHook = settings.booleanValue(SHUTDOWN_HOOK, true);
      username = settings.get(METRICS_USERNAME).orElse(null);
      password = settings.get(METRICS_PASSWORD).orElse(null);
      if ((username == null) != (password == null)) {
        throw new IllegalArgumentException("Basic auth for /metrics needs both "
            + METRICS_USERNAME + " and " + METRICS_PASSWORD + "; only "
            + (username == null ? METRICS_PASSWORD : METRICS_USERNAME) + " is set");
      }
      healthAuth = settings.booleanValue(METRICS_HEALTH_AUTH, false);
      if (metricsEnabled) {
        if (sslContext == null) {
          sslContext = tlsFromKeyStore(settings);
        }
        metricsAddress = resolve(settings, host);
        limits = new GuardedHttpServer.Limits(
            positive(settings, METRICS_REQUEST_TIMEOUT, Duration.ofSeconds(5)),
            positive(settings, METRICS_IDLE_TIMEOUT, Duration.ofSeconds(30)),
            settings.intValue(METRICS_MAX_CONNECTIONS, 512, 1, 100_000),
            settings.intValue(METRICS_THREADS, 2, 1, 64));
      }
      readPushgateway(settings);

      Redactor redactor = Redactor.fromSettings(settings);
      TelemetryKit kit = new TelemetryKit(this, settings, name, version, limit, redactor);
      if (!RUNNING.compareAndSet(null, kit)) {
        TelemetryKit running = RUNNING.get();
        throw new IllegalStateException("TelemetryKit is already running in this process for"
            + " service '" + (running == null ? "?" : running.serviceName) + "'. Use that"
            + " instance (TelemetryKit.current()) or close() it before starting another.",
            running == null ? null : running.startedAt);
      }
      try {
        kit.startAll(this);
      } catch (RuntimeException | Error e) {
        kit.close();
        throw e;
      }
      LOG.info("TelemetryKit started for service '{}'{}, modules {}", name,
          kit.metricsPort() >= 0 ? ", metrics on port " + kit.metricsPort()
              + (sslContext != null ? " (https)" : "") : "",
          kit.moduleNames());
      return kit;
    }

    private static SSLContext tlsFromKeyStore(Settings settings) {
      String path = settings.get(METRICS_TLS_KEYSTORE).orElse(null);
      String password = settings.get(METRICS_TLS_KEYSTORE_PASSWORD).orElse(null);
      if (path == null) {
        if (password != null) {
          throw new IllegalArgumentException(METRICS_TLS_KEYSTORE_PASSWORD + " is set but "
              + METRICS_TLS_KEYSTORE + " is not");
        }
        return null;
      }
      if (password == null) {
        throw new IllegalArgumentException(METRICS_TLS_KEYSTORE + " is set but "
            + METRICS_TLS_KEYSTORE_PASSWORD + " is not");
      }
      char[] secret = password.toCharArray();
      KeyStore store;
      try (InputStream in = Files.newInputStream(Path.of(path))) {
        store = KeyStore.getInstance("PKCS12");
        store.load(in, secret);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        // The password is never echoed; an unreadable file and a wrong password look alike
        // to PKCS12, so the message names both.
        throw new IllegalArgumentException("Invalid setting " + METRICS_TLS_KEYSTORE + ": value '"
            + path + "' is not allowed; expected a readable PKCS12 key store that "
            + METRICS_TLS_KEYSTORE_PASSWORD + " opens (" + e.getClass().getSimpleName() + ": "
            + e.getMessage() + ")", e);
      }
      try {
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, secret);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("Invalid setting " + METRICS_TLS_KEYSTORE + ": value '"
            + path + "' is not allowed; expected a key store whose key "
            + METRICS_TLS_KEYSTORE_PASSWORD + " also opens (" + e.getMessage() + ")", e);
      }
    }

    private static Duration positive(Settings settings, String name, Duration defaultValue) {
      Duration d = settings.duration(name, defaultValue);
      if (d.isZero()) {
        throw settings.invalid(name, "a positive duration, e.g. 500ms, 5s, 1m");
      }
      return d;
    }

    private void readPushgateway(Settings settings) {
      String url = settings.get(PUSHGATEWAY_URL).orElse(null);
      if (url == null) {
        return;
      }
      String allowed = "an http:// or https:// URL with a host, e.g. http://pushgateway:9091";
      try {
        URI uri = new URI(url);
        if (uri.getHost() == null || uri.getScheme() == null
            || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getQuery() != null || uri.getFragment() != null) {
          throw settings.invalid(PUSHGATEWAY_URL, allowed);
        }
        pushgatewayUrl = uri;
      } catch (java.net.URISyntaxException e) {
        throw settings.invalid(PUSHGATEWAY_URL, allowed);
      }
      pushgatewayInterval = settings.duration(PUSHGATEWAY_INTERVAL, Duration.ZERO);
      pushgatewayInstance = settings.get(PUSHGATEWAY_INSTANCE).orElseGet(Builder::hostName);
      pushgatewayUsername = settings.get(PUSHGATEWAY_USERNAME).orElse(null);
      pushgatewayPassword = settings.get(PUSHGATEWAY_PASSWORD).orElse(null);
      if ((pushgatewayUsername == null) != (pushgatewayPassword == null)) {
        throw new IllegalArgumentException("Basic auth for the Pushgateway needs both "
            + PUSHGATEWAY_USERNAME + " and " + PUSHGATEWAY_PASSWORD + "; only "
            + (pushgatewayUsername == null ? PUSHGATEWAY_PASSWORD : PUSHGATEWAY_USERNAME)
            + " is set");
      }
      String caFile = settings.get(PUSHGATEWAY_CA_FILE).orElse(null);
      if (caFile != null) {
        try {
          pushgatewaySsl = PushgatewayPusher.trusting(Path.of(caFile));
        } catch (IllegalArgumentException e) {
          throw settings.invalid(PUSHGATEWAY_CA_FILE,
              "a readable PEM file of CA certificates (" + e.getMessage() + ")");
        }
      }
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException | SecurityException e) {
        return "unknown";
      }
    }

    private static InetAddress resolve(Settings settings, String host) {
      try {
        return InetAddress.getByName(host);
      } catch (UnknownHostException | SecurityException e) {
        throw settings.invalid(METRICS_HOST, "an IP address or a resolvable host name, e.g. "
            + "0.0.0.0 (all interfaces) or 127.0.0.1");
      }
    }
  }
}
