package dev.telemetrykit.http.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * The tracer and propagator in use, found lazily: an {@link OpenTelemetry} given to the
 * builder, else {@link GlobalOpenTelemetry} once something (the tracing module, at
 * {@code TelemetryKit.start}) has set it. Until the global is set this answers "off" without
 * calling {@link GlobalOpenTelemetry#get()}, which would fix the global to a no-op forever, and
 * asks {@link GlobalOpenTelemetry#isSet()} at most once per second: that method takes a global
 * lock, which every worker thread would contend on if it were asked per request. So a global
 * set after the first request is picked up within a second. When the OpenTelemetry in use is
 * the no-op one, spans are skipped entirely (no allocation).
 */
public final class Tracing {

  /** Semantic-convention attribute keys, typed once. */
  public static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  public static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  public static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<String> CLIENT_ADDRESS =
      AttributeKey.stringKey("client.address");
  public static final AttributeKey<String> USER_AGENT =
      AttributeKey.stringKey("user_agent.original");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<Long> REQUEST_BODY_SIZE =
      AttributeKey.longKey("http.request.body.size");
  public static final AttributeKey<Long> RESPONSE_BODY_SIZE =
      AttributeKey.longKey("http.response.body.size");

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final OpenTelemetry explicit;
  private final String version;
  private volatile On on;
  private volatile boolean resolved;
  private volatile long nextCheck = System.nanoTime();

  /** @param explicit the OpenTelemetry to use, or {@code null} for the global one */
  public Tracing(OpenTelemetry explicit, String version) {
    this.explicit = explicit;
    this.version = version;
  }

  /** The tracer and propagator, or {@code null} when tracing is off (now). */
  public On get() {
    if (resolved) {
      return on;
    }
    return resolve(System.nanoTime());
  }

  /**
   * {@link #get()} for a caller that has just read {@code System.nanoTime()} (a filter's start
   * time): until a global OpenTelemetry is found, every request would otherwise read the clock
   * once more only to learn that the next recheck is not due.
   */
  public On get(long nowNanos) {
    if (resolved) {
      return on;
    }
    return resolve(nowNanos);
  }

  private On resolve(long now) {
    OpenTelemetry otel = explicit;
    if (otel == null) {
      if (now - nextCheck < 0) {
        return null;
      }
      nextCheck = now + RECHECK_NANOS;
      if (!GlobalOpenTelemetry.isSet()) {
        return null;
      }
      otel = GlobalOpenTelemetry.get();
    }
    On found = isNoop(otel) ? null : new On(otel, version);
    on = found;
    resolved = true;
    return found;
  }

  private static boolean isNoop(OpenTelemetry otel) {
    return otel == OpenTelemetry.noop()
        || otel.getTracerProvider() == io.opentelemetry.api.trace.TracerProvider.noop();
  }

  /** Tracing is on: the tracer and the text-map propagator. */
  public static final class On {
    public final Tracer tracer;
    public final TextMapPropagator propagator;

    On(OpenTelemetry otel, String version) {
      this.tracer = version == null
          ? otel.getTracer(dev.telemetrykit.http.HttpNames.INSTRUMENTATION_SCOPE)
          : otel.getTracer(dev.telemetrykit.http.HttpNames.INSTRUMENTATION_SCOPE, version);
      this.propagator = otel.getPropagators().getTextMapPropagator();
    }
  }
}
