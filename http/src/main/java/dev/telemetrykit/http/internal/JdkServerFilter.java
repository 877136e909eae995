package dev.telemetrykit.http.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.telemetrykit.core.UnitOfWork;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The {@code com.sun.net.httpserver} filter. Everything it does around {@code chain.doFilter}
 * is wrapped so that a failure is reported to {@code InstrumentationErrors} and never reaches
 * the handler or the client; the handler's own exceptions are rethrown unchanged.
 */
public final class JdkServerFilter extends Filter {

  private static final String CONTENT_LENGTH = "Content-Length";

  static final TextMapGetter<HttpExchange> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpExchange carrier) {
      return carrier.getRequestHeaders().keySet();
    }

    @Override
    public String get(HttpExchange carrier, String key) {
      return carrier == null ? null : carrier.getRequestHeaders().getFirst(key);
    }
  };

  private final ServerInstrumenter server;
  // What a request reads, copied out of the instrumenter and its parts into this one object:
  // in a server each object on the request path is a likely cache and TLB miss (the JDK
  // server and the kernel run in between), where JMH finds them all in the first-level cache.
  private final ServerMetrics metrics;
  private final String[] headerNames;
  /** Each of {@link #headerNames}' length: a header of another length is skipped unread. */
  private final int[] headerLengths;
  private final String primaryHeader;
  private final boolean echo;
  private final Tracing tracing;
  private final AccessLog accessLog;
  private final boolean accessLogEnabled;

  public JdkServerFilter(ServerInstrumenter server) {
    this.server = server;
    this.metrics = server.metrics;
    this.headerNames = server.correlation.headers();
    this.headerLengths = new int[headerNames.length];
    for (int i = 0; i < headerNames.length; i++) {
      headerLengths[i] = headerNames[i].length();
    }
    this.primaryHeader = server.correlation.primaryHeader();
    this.echo = server.correlation.echo();
    this.tracing = server.tracing;
    this.accessLog = server.accessLog;
    this.accessLogEnabled = accessLog.enabled;
  }

  @Override
  public String description() {
    return "TelemetryKit HTTP server metrics, correlation IDs and spans";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    long start = System.nanoTime();
    int method = Methods.OTHER;
    int scheme = 0;
    RouteStats route = null;
    InFlight active = null;
    boolean mdcSet = false;
    String previousId = null;
    Span span = null;
    Scope scope = null;
    long requestBytes = -1;
    CountingOutputStream body = null;
    String id = null;
    UnitOfWork unit = null;
    try {
      String rawMethod = exchange.getRequestMethod();
      method = Methods.index(rawMethod);
      scheme = exchange instanceof HttpsExchange ? 1 : 0;
      String path = exchange.getRequestURI().getRawPath();
      route = metrics.resolve(path);
      active = metrics.active(method, scheme);
      active.inc();

      // One pass over the request headers: each Headers.getFirst(name) copies the name into a
      // new normalised String, which would cost ~100 B per lookup.
      Headers requestHeaders = exchange.getRequestHeaders();
      String[] names = headerNames;
      int[] lengths = headerLengths;
      String incoming = null;
      int incomingIndex = names.length;
      for (Map.Entry<String, List<String>> e : requestHeaders.entrySet()) {
        String key = e.getKey();
        int length = key.length();
        if (length == CONTENT_LENGTH.length() && key.equalsIgnoreCase(CONTENT_LENGTH)) {
          requestBytes = ContentLength.parse(first(e.getValue()));
          continue;
        }
        for (int i = 0; i < incomingIndex; i++) {
          if (length == lengths[i] && key.equalsIgnoreCase(names[i])) {
            incoming = first(e.getValue());
            incomingIndex = i;
            break;
          }
        }
      }
      String echoHeader = null;
      if (incoming != null && Correlation.isValid(incoming)) {
        id = incoming;
        echoHeader = names[incomingIndex];
      }
      if (id == null) {
        id = Correlation.generate();
        echoHeader = primaryHeader;
      }
      if (echo) {
        exchange.getResponseHeaders().set(echoHeader, id);
      }
      // Not an exchange attribute: on Java 17 those are shared by every exchange of the context.
      previousId = ServerInstrumenter.putMdc(id);
      mdcSet = true;
      if (UnitOfWork.enabledForRequests()) {
        unit = UnitOfWork.begin(route.spanName(method));
      }

      Tracing.On on = tracing.get(start);
      if (on != null) {
        span = server.startSpan(on, exchange, GETTER, route, method, rawMethod, scheme, path);
        // A span the sampler dropped records nothing: skip building what it would discard
        // (address strings, header look-ups), most requests under ratio sampling.
        if (span.isRecording()) {
          InetSocketAddress local = exchange.getLocalAddress();
          if (local != null) {
            span.setAttribute(Tracing.SERVER_PORT, local.getPort());
          }
          InetSocketAddress remote = exchange.getRemoteAddress();
          if (remote != null && remote.getAddress() != null) {
            span.setAttribute(Tracing.CLIENT_ADDRESS, remote.getAddress().getHostAddress());
          }
          String host = requestHeaders.getFirst("Host");
          if (host != null) {
            int colon = host.lastIndexOf(':');
            span.setAttribute(Tracing.SERVER_ADDRESS,
                colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host);
          }
          String agent = requestHeaders.getFirst("User-Agent");
          if (agent != null) {
            span.setAttribute(Tracing.USER_AGENT, agent);
          }
        }
        scope = span.makeCurrent();
      }
      // Counted as written, so a chunked response (no Content-Length) has a size too.
      body = new CountingOutputStream(exchange.getResponseBody());
      exchange.setStreams(null, body);
    } catch (Throwable t) {
      server.errors.record(ServerInstrumenter.COMPONENT, t);
    }

    Throwable failure = null;
    try {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      finish(exchange, start, method, scheme, route, active, mdcSet, previousId, unit, span,
          scope, requestBytes, body, id, failure);
    }
  }

  private void finish(HttpExchange exchange, long start, int method, int scheme, RouteStats route,
      InFlight active, boolean mdcSet,
      String previousId, UnitOfWork unit, Span span, Scope scope, long requestBytes,
      CountingOutputStream body,
      String correlationId, Throwable failure) {
    long elapsed = System.nanoTime() - start;
    if (active != null) {
      try {
        active.dec();
      } catch (Throwable t) {
        server.errors.record(ServerInstrumenter.COMPONENT, t);
      }
    }
    server.leaveThread(scope, mdcSet, previousId, unit);
    try {
      int status = exchange.getResponseCode();
      String errorType = failure == null ? null : failure.getClass().getName();
      long responseBytes = status <= 0 ? -1 : body != null ? body.count : contentLength(exchange);
      if (route != null) {
        metrics.record(route, method, scheme, status, errorType, elapsed,
            requestBytes, responseBytes);
      }
      AccessLog log = accessLog;
      if (accessLogEnabled && log.wants(status, errorType, elapsed)) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        log.log(exchange.getRequestMethod(), route == null ? null : route.route(), status,
            elapsed, requestBytes, responseBytes, correlationId, span,
            remote == null || remote.getAddress() == null
                ? null : remote.getAddress().getHostAddress(),
            exchange.getRequestHeaders().getFirst("User-Agent"), errorType);
      }
      if (span != null) {
        ServerInstrumenter.endSpan(span, status, failure, errorType);
      }
    } catch (Throwable t) {
      server.errors.record(ServerInstrumenter.COMPONENT, t);
    }
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * The response Content-Length header's value, or -1 when absent or not a number. Iterates
   * instead of {@code Headers.getFirst}, which copies the name on every call.
   */
  static long contentLength(HttpExchange exchange) {
    for (Map.Entry<String, List<String>> e : exchange.getResponseHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase(CONTENT_LENGTH)) {
        return ContentLength.parse(first(e.getValue()));
      }
    }
    return -1;
  }
}
