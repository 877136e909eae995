package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.meter.GuardedGauge;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.http.HttpNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * Client side: {@code http_client_*} metrics, a CLIENT span with the context injected into the
 * outgoing headers, and the current correlation ID forwarded. Failures inside are reported to
 * {@link InstrumentationErrors}, never thrown.
 */
public final class ClientInstrumenter {

  /** Component name in {@code telemetrykit_instrumentation_errors_total}. */
  public static final String COMPONENT = "http-client";

  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(Call.class, "ended", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final TextMapSetter<HttpRequest.Builder> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.setHeader(key, value);
        }
      };

  private final GuardedHistogram duration;
  private final GuardedGauge active;
  private final Correlation correlation;
  private final Tracing tracing;
  private final InstrumentationErrors errors;
  /**
   * The destinations seen, by host, each with its series bound once (see {@link Target}), so a
   * request to a known destination looks up no label values: two look-ups through the
   * cardinality guard per request were the wrapper's largest own cost in a client under load.
   */
  private final ConcurrentHashMap<String, Target[]> targets = new ConcurrentHashMap<>();
  private final AtomicInteger targetCount = new AtomicInteger();
  private final int targetLimit;

  public ClientInstrumenter(Meters meters, Correlation correlation, Tracing tracing) {
    this.duration = meters.histogram(HttpNames.CLIENT_DURATION)
        .help("Duration of HTTP client requests")
        .labelNames(HttpNames.METHOD, HttpNames.STATUS_CODE, HttpNames.SERVER_ADDRESS,
            HttpNames.SERVER_PORT, HttpNames.SCHEME, HttpNames.ERROR_TYPE)
        .buckets(ServerMetrics.DURATION_BUCKETS).register();
    this.active = meters.gauge(HttpNames.CLIENT_ACTIVE)
        .help("Number of HTTP client requests in flight")
        .labelNames(HttpNames.METHOD, HttpNames.SERVER_ADDRESS, HttpNames.SERVER_PORT)
        .withoutExemplars() // a trace link on an in-flight count says nothing; it costs per call
        .register();
    this.correlation = correlation;
    this.tracing = tracing;
    this.errors = meters.errors();
    this.targetLimit = meters.cardinalityLimit();
  }

  /** Starts a call: counts it in flight, starts the span; never throws. */
  public Call start(HttpRequest request) {
    Call call = begin(request.method(), request.uri(), false);
    try {
      // Read only when an ID would be forwarded: HttpHeaders.firstValue runs a stream.
      if (call.forwardId != null
          && request.headers().firstValue(correlation.primaryHeader()).isPresent()) {
        call.forwardId = null;
      }
      if (call.span != null || call.forwardId != null) {
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (n, v) -> true);
        inject(call, copy, SETTER);
        call.request = copy.build();
      }
    } catch (Throwable t) {
      errors.record(COMPONENT, t);
    }
    if (call.request == null) {
      call.request = request;
    }
    return call;
  }

  /**
   * Starts a call of any client: counts it in flight, starts the CLIENT span, decides whether
   * the MDC's correlation ID is forwarded; never throws. Follow with {@link #inject} on the
   * outgoing request's headers, then {@link Call#end(int, Throwable)}.
   *
   * @param hasCorrelationHeader whether the request already sets the primary correlation header
   */
  public Call begin(String rawMethod, URI uri, boolean hasCorrelationHeader) {
    Call call = new Call(System.nanoTime());
    try {
      int methodIndex = Methods.index(rawMethod);
      String method = Methods.name(methodIndex);
      String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(
          java.util.Locale.ROOT);
      String host = uri.getHost() == null ? "" : uri.getHost();
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      Target target = target(methodIndex, scheme, host, port);
      call.target = target;
      target.active.inc();

      String id = MDC.get(HttpNames.MDC_CORRELATION_ID);
      if (id != null && Correlation.isValid(id) && !hasCorrelationHeader) {
        call.forwardId = id;
      }
      Tracing.On on = tracing.get();
      if (on != null) {
        Span span = on.tracer.spanBuilder(method.equals(HttpNames.OTHER) ? "HTTP" : method)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(Tracing.HTTP_REQUEST_METHOD, method)
            .setAttribute(Tracing.SERVER_ADDRESS, host)
            .setAttribute(Tracing.SERVER_PORT, (long) port)
            .setAttribute(Tracing.URL_FULL, redact(uri))
            .startSpan();
        if (method.equals(HttpNames.OTHER)) {
          span.setAttribute(Tracing.HTTP_REQUEST_METHOD_ORIGINAL, rawMethod);
        }
        call.span = span;
        call.on = on;
      }
    } catch (Throwable t) {
      errors.record(COMPONENT, t);
    }
    return call;
  }

  /** Whether {@link #inject} would add any header (a span or a forwarded correlation ID). */
  public static boolean needsHeaders(Call call) {
    return call.span != null || call.forwardId != null;
  }

  /** Writes the forwarded correlation ID and the span's context into the outgoing headers. */
  public <C> void inject(Call call, C carrier, TextMapSetter<C> setter) {
    try {
      if (call.forwardId != null) {
        setter.set(carrier, correlation.primaryHeader(), call.forwardId);
      }
      if (call.span != null) {
        call.on.propagator.inject(Context.current().with(call.span), carrier, setter);
      }
    } catch (Throwable t) {
      errors.record(COMPONENT, t);
    }
  }

  /** The header a forwarded correlation ID is sent in. */
  public String primaryHeader() {
    return correlation.primaryHeader();
  }

  /** Counts an instrumentation failure of a client integration. */
  public void failed(Throwable t) {
    errors.record(COMPONENT, t);
  }

  /** The URI without user info and query (both may carry secrets). */
  static String redact(URI uri) {
    if (uri.getRawUserInfo() == null && uri.getRawQuery() == null
        && uri.getRawFragment() == null) {
      return uri.toString();
    }
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) {
      b.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      b.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      b.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      b.append(uri.getRawPath());
    }
    return b.toString();
  }

  /** One outgoing request; {@link #end} records it exactly once. */
  public final class Call {
    final long start;
    /** 1 once {@link #end} ran: a field set through {@link #ENDED}, not an object per call. */
    private volatile int ended;
    HttpRequest request;
    /** Where the request goes; {@code null} when {@link #begin} failed before knowing it. */
    Target target;
    Span span;
    Tracing.On on;
    String forwardId;

    Call(long start) {
      this.start = start;
    }

    /** The request to send: the original, or a copy carrying trace and correlation headers. */
    public HttpRequest request() {
      return request;
    }

    /** Records the outcome: a response, or the failure (connect error, timeout, cancel). */
    public void end(HttpResponse<?> response, Throwable failure) {
      int status = 0;
      try {
        status = response == null ? 0 : response.statusCode();
      } catch (Throwable t) {
        errors.record(COMPONENT, t);
      }
      end(status, failure);
    }

    /**
     * Records the outcome of any client: the status received ({@code 0} when none), or the
     * failure (connect error, timeout, cancel). Only the first call counts.
     */
    public void end(int status, Throwable failure) {
      if (!ENDED.compareAndSet(this, 0, 1)) {
        return;
      }
      long elapsed = System.nanoTime() - start;
      Target target = this.target;
      if (target != null) {
        try {
          target.active.dec();
        } catch (Throwable t) {
          errors.record(COMPONENT, t);
        }
      }
      try {
        Throwable cause = unwrap(failure);
        String statusLabel = ServerMetrics.statusLabel(status);
        String errorType = cause != null ? cause.getClass().getName()
            : status >= 400 ? statusLabel : "";
        DistributionDataPoint series;
        if (target == null) { // begin failed before it knew the destination
          series = duration.labelValues(HttpNames.OTHER, statusLabel, "", "", "http", errorType);
        } else if (cause == null) {
          series = target.duration(status);
        } else { // an exception's class name is the rare label: bound per call, not kept
          series = duration.labelValues(target.method, statusLabel, target.host, target.port,
              target.scheme, errorType);
        }
        series.observe(elapsed / 1e9);
        if (span != null) {
          if (status > 0) {
            span.setAttribute(Tracing.HTTP_RESPONSE_STATUS_CODE, status);
          }
          if (cause != null) {
            span.recordException(cause);
          }
          if (!errorType.isEmpty()) {
            span.setAttribute(Tracing.ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
          }
          span.end();
        }
      } catch (Throwable t) {
        errors.record(COMPONENT, t);
      }
    }
  }

  /**
   * The destination's bound series: found in {@link #targets} (one hash look-up by host, whose
   * String caches its hash, then a scan of that host's few method/scheme/port combinations),
   * else bound now. Past {@link Meters#cardinalityLimit()} destinations new ones are not kept:
   * their series are bound for each request (the guard folds them into {@code _OTHER} anyway).
   */
  private Target target(int methodIndex, String scheme, String host, int port) {
    Target known = find(targets.get(host), methodIndex, scheme, port);
    if (known != null) {
      return known;
    }
    Target created = new Target(methodIndex, scheme, host, port);
    if (targetCount.get() >= targetLimit) {
      return created;
    }
    Target[] stored = targets.compute(host, (h, current) -> {
      if (find(current, methodIndex, scheme, port) != null) {
        return current;
      }
      targetCount.incrementAndGet();
      Target[] next = current == null ? new Target[1] : Arrays.copyOf(current, current.length + 1);
      next[next.length - 1] = created;
      return next;
    });
    return find(stored, methodIndex, scheme, port);
  }

  private static Target find(Target[] targets, int methodIndex, String scheme, int port) {
    if (targets != null) {
      for (Target t : targets) {
        if (t.methodIndex == methodIndex && t.portNumber == port && t.scheme.equals(scheme)) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * One destination (method, scheme, host, port) with its in-flight series and its duration
   * series per status bound once: a request to it records without label look-ups.
   */
  final class Target {
    final int methodIndex;
    final int portNumber;
    final String method;
    final String scheme;
    final String host;
    final String port;
    final GaugeDataPoint active;
    /** Duration series of calls that got a response, by status (copy-on-write, few). */
    private volatile StatusSeries[] byStatus = new StatusSeries[0];

    Target(int methodIndex, String scheme, String host, int port) {
      this.methodIndex = methodIndex;
      this.portNumber = port;
      this.method = Methods.name(methodIndex);
      this.scheme = scheme;
      this.host = host;
      this.port = Integer.toString(port);
      this.active = ClientInstrumenter.this.active.labelValues(method, host, this.port);
    }

    /** The duration series of a call that ended with this status (0: no response). */
    DistributionDataPoint duration(int status) {
      StatusSeries[] current = byStatus;
      for (StatusSeries s : current) {
        if (s.status == status) {
          return s.series;
        }
      }
      String statusLabel = ServerMetrics.statusLabel(status);
      DistributionDataPoint series = ClientInstrumenter.this.duration.labelValues(method,
          statusLabel, host, port, scheme, status >= 400 ? statusLabel : "");
      if (current.length < RouteStats.MAX_ENTRIES) {
        // Two threads adding at once may drop one entry: it is bound again on its next call.
        StatusSeries[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new StatusSeries(status, series);
        byStatus = next;
      }
      return series;
    }
  }

  private static final class StatusSeries {
    final int status;
    final DistributionDataPoint series;

    StatusSeries(int status, DistributionDataPoint series) {
      this.status = status;
      this.series = series;
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
