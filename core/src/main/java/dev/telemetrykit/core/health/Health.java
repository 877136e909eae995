package dev.telemetrykit.core.health;

import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of this service: registered {@link HealthCheck}s, run off the request thread on
 * a small scheduler and cached, so a probe never waits on a slow dependency and a flood of
 * probes never multiplies calls to it. Get it from {@code telemetry.health()}.
 *
 * <pre>{@code
 * telemetry.health().register("database", JdbcTelemetry.healthCheck(dataSource));
 * telemetry.health().register("payments", HttpTelemetry.healthCheck(paymentsHealthUri),
 *     Health.options().critical(false).interval(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Served on the metrics port: {@code /health/live} is 200 while the process runs, unless a
 * check registered with {@link Options#liveness(boolean) liveness(true)} is DOWN;
 * {@code /health/ready} is 200 when every {@link Options#critical(boolean) critical} check is
 * UP (and has run at least once), else 503, and 503 as soon as TelemetryKit starts closing;
 * {@code /health} is the same as ready. Bodies are JSON with the overall status and, per
 * check, its status, whether it is critical, the last duration, the last-checked time and a
 * short, redacted reason.
 *
 * <p>Metrics per check: {@value #STATUS_METRIC} (1 UP, 0 DOWN), {@value #DURATION_METRIC},
 * {@value #FAILURES_METRIC}; and {@value #READY_METRIC} for the service.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class Health implements AutoCloseable {

  /** Gauge: 1 when the check is UP, 0 when DOWN; label {@code check}. */
  public static final String STATUS_METRIC = "health_check_status";
  /** Gauge: seconds the last run of the check took; label {@code check}. */
  public static final String DURATION_METRIC = "health_check_duration_seconds";
  /** Counter: runs of the check that were DOWN (failed, threw or timed out); label {@code check}. */
  public static final String FAILURES_METRIC = "health_check_failures_total";

  /**
   * Gauge: 1 when {@code /health/ready} would answer 200 (every critical check UP and not
   * closing), else 0; read at scrape time. For "service not ready" alerts.
   */
  public static final String READY_METRIC = "health_ready";

  /** Default check timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** Default run interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(Health.class);
  private static final int MAX_REASON = 200;
  private static final Pattern URL_USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");
  private static final Pattern SECRET_KEY_VALUE = Pattern.compile(
      "(?i)\\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key"
          + "|credentials?|authorization|auth))(\\s*[=:]\\s*)(\"?)(?:bearer\\s+|basic\\s+)?"
          + "[^\\s&;,\"']+");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");

  private final String serviceName;
  private final Map<String, Registration> checks = new LinkedHashMap<>();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor runners;
  private final Gauge statusGauge;
  private final Gauge durationGauge;
  private final Counter failures;
  private final GaugeWithCallback ready;
  private PrometheusRegistry registry;
  private volatile boolean shuttingDown;
  private volatile boolean closed;

  /** For TelemetryKit; applications use {@code telemetry.health()}. */
  public Health(String serviceName) {
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    AtomicInteger n = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "telemetrykit-health"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    // One thread per running check at most (a check never overlaps itself); a hung check
    // holds only its own thread.
    this.runners = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> daemon(r, "telemetrykit-health-check-" + n.incrementAndGet()));
    this.statusGauge = Gauge.builder().name(STATUS_METRIC)
        .help("Health check status: 1 up, 0 down").labelNames("check").build();
    this.durationGauge = Gauge.builder().name(DURATION_METRIC)
        .help("Duration of the last run of the health check, in seconds").labelNames("check")
        .build();
    this.failures = Counter.builder().name(FAILURES_METRIC)
        .help("Health check runs that were down (failed, threw or timed out)")
        .labelNames("check").build();
    this.ready = GaugeWithCallback.builder().name(READY_METRIC)
        .help("1 when every critical health check is up and the service is not shutting down")
        .callback(cb -> cb.call(isReady() ? 1 : 0)).build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Options with the defaults: critical, not liveness, timeout 2 s, interval 10 s. */
  public static Options options() {
    return new Options();
  }

  /** Registers the metrics; called by TelemetryKit at start. */
  public void bind(PrometheusRegistry registry) {
    this.registry = registry;
    registry.register(statusGauge);
    registry.register(durationGauge);
    registry.register(failures);
    registry.register(ready);
  }

  /**
   * Registers a check with the default options (critical, timeout 2 s, interval 10 s) and
   * runs it right away.
   *
   * @throws IllegalArgumentException if the name is blank or already registered
   */
  public void register(String name, HealthCheck check) {
    register(name, check, options());
  }

  /**
   * Registers a check and runs it right away, then every {@link Options#interval(Duration)}.
   *
   * @param name the {@code check} label and the key in the JSON body, e.g. {@code database}
   * @throws IllegalArgumentException if the name is blank or already registered
   */
  public void register(String name, HealthCheck check, Options options) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(options, "options");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A health check needs a non-blank name");
    }
    Registration reg = new Registration(name.trim(), check, options);
    synchronized (checks) {
      if (closed) {
        throw new IllegalStateException("TelemetryKit is closed; cannot register health check '"
            + reg.name + "'");
      }
      if (checks.containsKey(reg.name)) {
        throw new IllegalArgumentException("Health check '" + reg.name + "' is already registered");
      }
      checks.put(reg.name, reg);
      // The failure series exists from the start at 0, so rate() and increase() see the first.
      failures.labelValues(reg.name);
      reg.future = scheduler.scheduleWithFixedDelay(() -> start(reg), 0,
          options.interval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Removes a check and its series; unknown names are ignored. */
  public void unregister(String name) {
    Registration reg;
    synchronized (checks) {
      reg = checks.remove(name);
    }
    if (reg != null) {
      reg.removed = true;
      reg.future.cancel(false);
      statusGauge.remove(reg.name);
      durationGauge.remove(reg.name);
      failures.remove(reg.name);
    }
  }

  /** True when every critical check is UP and TelemetryKit is not closing. */
  public boolean isReady() {
    if (shuttingDown) {
      return false;
    }
    for (Registration reg : snapshot()) {
      if (reg.options.critical && reg.last.status != HealthCheck.Status.UP) {
        return false;
      }
    }
    return true;
  }

  /** True unless a liveness check is DOWN (a check not yet run does not count). */
  public boolean isLive() {
    for (Registration reg : snapshot()) {
      if (reg.options.liveness && reg.last.status == HealthCheck.Status.DOWN) {
        return false;
      }
    }
    return true;
  }

  /**
   * Turns readiness to DOWN for good; TelemetryKit calls this first in {@code close()}, so a
   * load balancer stops routing while spans and logs flush.
   */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** Stops running checks and removes the metrics. */
  @Override
  public void close() {
    synchronized (checks) {
      closed = true;
    }
    shuttingDown = true;
    scheduler.shutdownNow();
    runners.shutdownNow();
    if (registry != null) {
      registry.unregister(statusGauge);
      registry.unregister(durationGauge);
      registry.unregister(failures);
      registry.unregister(ready);
    }
  }

  /**
   * The JSON body: overall status and, unless {@code liveOnly}, every check; with
   * {@code liveOnly} only the liveness checks.
   */
  public String toJson(boolean liveOnly) {
    boolean ok = liveOnly ? isLive() : isReady();
    StringBuilder b = new StringBuilder(256);
    b.append("{\"status\":\"").append(ok ? "UP" : "DOWN").append("\",\"service\":\"");
    escape(b, serviceName).append('"');
    if (!liveOnly && shuttingDown) {
      b.append(",\"reason\":\"shutting down\"");
    }
    b.append(",\"checks\":{");
    boolean first = true;
    for (Registration reg : snapshot()) {
      if (liveOnly && !reg.options.liveness) {
        continue;
      }
      Snapshot s = reg.last;
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append('"');
      escape(b, reg.name).append("\":{\"status\":\"")
          .append(s.status == null ? "UNKNOWN" : s.status.name()).append('"')
          .append(",\"critical\":").append(reg.options.critical)
          .append(",\"liveness\":").append(reg.options.liveness);
      if (s.lastChecked != null) {
        b.append(",\"durationSeconds\":").append(s.durationNanos / 1e9)
            .append(",\"lastChecked\":\"").append(s.lastChecked).append('"');
      }
      if (s.reason != null) {
        b.append(",\"reason\":\"");
        escape(b, s.reason).append('"');
      }
      b.append('}');
    }
    return b.append("}}").toString();
  }

  private List<Registration> snapshot() {
    synchronized (checks) {
      return new ArrayList<>(checks.values());
    }
  }

  // ---- running checks ----

  private void start(Registration reg) {
    try {
      startRun(reg);
    } catch (Throwable t) {
      // A periodic task that throws is never run again: keep the schedule alive.
      LOG.warn("Could not start health check '{}'", reg.name, t);
    }
  }

  private void startRun(Registration reg) {
    if (reg.running) {
      return; // the previous run is still going (it hung past its timeout): do not pile up
    }
    reg.running = true;
    long run = ++reg.runs;
    long t0 = System.nanoTime();
    try {
      runners.execute(() -> runOnce(reg, run, t0));
    } catch (RuntimeException rejected) {
      reg.running = false;
      record(reg, run, HealthCheck.Result.down("too many health checks running at once"), 0,
          false);
      return;
    }
    scheduler.schedule(() -> {
      if (reg.running && reg.runs == run) {
        record(reg, run, HealthCheck.Result.down("timed out after "
            + reg.options.timeout.toMillis() + " ms"), System.nanoTime() - t0, true);
      }
    }, reg.options.timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void runOnce(Registration reg, long run, long t0) {
    HealthCheck.Result result;
    try {
      result = reg.check.check();
      if (result == null) {
        result = HealthCheck.Result.down("check returned null");
      }
    } catch (Throwable t) {
      String message = t.getMessage();
      result = HealthCheck.Result.down(t.getClass().getSimpleName()
          + (message == null ? "" : ": " + message));
    } finally {
      reg.running = false;
    }
    record(reg, run, result, System.nanoTime() - t0, false);
  }

  private void record(Registration reg, long run, HealthCheck.Result result, long nanos,
      boolean timedOut) {
    synchronized (reg) {
      Snapshot previous = reg.last;
      if (previous.run > run || (timedOut && previous.run == run)) {
        return; // a newer run, or this run itself, already reported
      }
      if (reg.removed) {
        return;
      }
      boolean down = result.status() == HealthCheck.Status.DOWN;
      Snapshot next = new Snapshot(run, result.status(), nanos, Instant.now(),
          sanitizeReason(result.reason()), timedOut);
      // Metrics first, then the snapshot: whoever sees the new status on /health also sees it
      // in a scrape taken after that (the volatile write of reg.last publishes both).
      if (!closed) {
        try {
          statusGauge.labelValues(reg.name).set(down ? 0 : 1);
          durationGauge.labelValues(reg.name).set(nanos / 1e9);
          if (down && !(previous.run == run && previous.timedOut)) {
            failures.labelValues(reg.name).inc();
          }
        } catch (RuntimeException e) {
          LOG.debug("Could not record health metrics for '{}'", reg.name, e);
        }
      }
      reg.last = next;
      if (closed) {
        return;
      }
      if (down && previous.status != HealthCheck.Status.DOWN) {
        LOG.warn("Health check '{}' is DOWN: {}", reg.name, reg.last.reason);
      } else if (!down && previous.status == HealthCheck.Status.DOWN) {
        LOG.info("Health check '{}' is UP again", reg.name);
      }
    }
  }

  /**
   * Shortens a reason to one line and masks secrets: the user-info of URLs
   * ({@code jdbc:postgresql://app:s3cret@db} → {@code ://***@}), {@code key=value} pairs whose
   * key looks secret ({@code password=}, {@code token=}, {@code api_key=}, ...) and bearer or
   * basic credentials, after the shared redaction engine ({@link Redactor}) has masked what it
   * detects in every signal. The one place reasons are cleaned.
   */
  static String sanitizeReason(String reason) {
    if (reason == null) {
      return null;
    }
    String s = reason.replaceAll("[\\r\\n\\t]+", " ");
    try {
      // The shared engine first (cards, cloud keys, JWTs, key rules, user patterns; counted as
      // signal="health"), then what only a reason needs: URL user-info, secret-looking pairs.
      s = Redactor.current().forSignal(Signal.HEALTH).redact(s);
    } catch (RuntimeException e) {
      LOG.debug("Redaction of a health reason failed; using the built-in masks only", e);
    }
    s = URL_USER_INFO.matcher(s).replaceAll("$1***@");
    s = SECRET_KEY_VALUE.matcher(s).replaceAll("$1$2$3***");
    s = BEARER.matcher(s).replaceAll("$1 ***");
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 3) + "...";
  }

  private static StringBuilder escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b;
  }

  /** How a check is run and what it affects. Immutable; each setter returns a copy. */
  public static final class Options {
    final boolean critical;
    final boolean liveness;
    final Duration timeout;
    final Duration interval;

    Options() {
      this(true, false, DEFAULT_TIMEOUT, DEFAULT_INTERVAL);
    }

    private Options(boolean critical, boolean liveness, Duration timeout, Duration interval) {
      this.critical = critical;
      this.liveness = liveness;
      this.timeout = timeout;
      this.interval = interval;
    }

    /** Whether a DOWN check makes {@code /health/ready} 503 (default true). */
    public Options critical(boolean critical) {
      return new Options(critical, liveness, timeout, interval);
    }

    /**
     * Whether a DOWN check makes {@code /health/live} 503 (default false). Only for checks of
     * the process itself (deadlock, exhausted heap): a restart must be able to fix it.
     */
    public Options liveness(boolean liveness) {
      return new Options(critical, liveness, timeout, interval);
    }

    /**
     * Time after which a run still going counts as DOWN (default 2 s); the probe never waits.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Options timeout(Duration timeout) {
      return new Options(critical, liveness, positive(timeout, "timeout"), interval);
    }

    /**
     * Time between runs (default 10 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Options interval(Duration interval) {
      return new Options(critical, liveness, timeout, positive(interval, "interval"));
    }

    /** The timeout, for checks that pass it on to their client. */
    public Duration timeout() {
      return timeout;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("Health check " + what + " must be positive, was " + d);
      }
      return d;
    }
  }

  private static final class Registration {
    final String name;
    final HealthCheck check;
    final Options options;
    volatile Snapshot last = Snapshot.PENDING;
    volatile boolean running;
    volatile boolean removed;
    volatile long runs;
    ScheduledFuture<?> future;

    Registration(String name, HealthCheck check, Options options) {
      this.name = name;
      this.check = check;
      this.options = options;
    }
  }

  private static final class Snapshot {
    static final Snapshot PENDING = new Snapshot(0, null, 0, null, "not checked yet", false);

    final long run;
    final HealthCheck.Status status;
    final long durationNanos;
    final Instant lastChecked;
    final String reason;
    final boolean timedOut;

    Snapshot(long run, HealthCheck.Status status, long durationNanos, Instant lastChecked,
        String reason, boolean timedOut) {
      this.run = run;
      this.status = status;
      this.durationNanos = durationNanos;
      this.lastChecked = lastChecked;
      this.reason = reason;
      this.timedOut = timedOut;
    }
  }
}
