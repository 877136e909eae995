package dev.telemetrykit.http;

import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.http.internal.Correlation;
import dev.telemetrykit.http.internal.AccessLog;
import dev.telemetrykit.http.internal.ContentLength;
import dev.telemetrykit.http.internal.InFlight;
import dev.telemetrykit.http.internal.Methods;
import dev.telemetrykit.http.internal.RouteStats;
import dev.telemetrykit.http.internal.ServerInstrumenter;
import dev.telemetrykit.http.internal.ServerMetrics;
import dev.telemetrykit.http.internal.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Jakarta Servlet 6 filter recording HTTP server metrics, correlation IDs and SERVER spans;
 * get one from {@link HttpTelemetry#servletFilter()} and register it for all paths, first in
 * the chain:
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();      // Jetty 12 ee10
 * context.addFilter(new FilterHolder(http.servletFilter()), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 *
 * // any container: in a ServletContainerInitializer or ServletContextListener
 * servletContext.addFilter("telemetry", http.servletFilter())
 *     .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>The route is a registered template when one matches the path inside the context; else
 * the container's mapping pattern (exact, {@code /prefix/*} or {@code *.ext} servlet
 * mappings; not the default servlet {@code /}); else {@code _OTHER} (templates registered) or
 * the normalised path (none registered). Asynchronous requests are recorded when the
 * {@code AsyncContext} completes, times out or fails; the MDC entry is cleared when the
 * filter returns on the request thread — other threads read the ID from the request attribute
 * {@link HttpNames#CORRELATION_ID_ATTRIBUTE}. Requests already seen by this filter (forward,
 * include, error or async dispatches) pass through untouched.
 *
 * <p>The response body size is counted as the application writes it (so chunked responses
 * have one) through a response wrapper passed down the chain; an async request answered
 * through {@code AsyncContext.getResponse()} (the unwrapped response) falls back to its
 * {@code Content-Length}. The response is never altered beyond the added correlation header
 * and that wrapper, which forwards every call; exceptions of the
 * application are recorded with their class as {@code error_type} and rethrown unchanged.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class TelemetryServletFilter implements Filter {

  private static final TextMapGetter<HttpServletRequest> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
      return Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  private final ServerInstrumenter server;

  TelemetryServletFilter(ServerInstrumenter server) {
    this.server = server;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)
        || req.getDispatcherType() != DispatcherType.REQUEST
        // The correlation attribute doubles as the "seen" mark: one attribute, not two (the
        // first one set makes Jetty create the request's attribute map).
        || req.getAttribute(HttpNames.CORRELATION_ID_ATTRIBUTE) != null) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    ServletResponse downstream = res;
    Request r = null;
    boolean mdcSet = false;
    String previousId = null;
    Scope scope = null;
    UnitOfWork unit = null;
    try {
      r = begin(request);
      r.body = new CountingServletResponse(response);
      downstream = r.body;
      r.correlationId = correlate(request, response);
      r.requestBytes = request.getContentLengthLong();
      if (server.accessLog.enabled) {
        r.clientAddress = request.getRemoteAddr();
        r.userAgent = request.getHeader("User-Agent");
      }
      previousId = ServerInstrumenter.putMdc(r.correlationId);
      mdcSet = true;
      if (UnitOfWork.enabledForRequests()) {
        unit = UnitOfWork.begin(r.route.spanName(r.method));
      }
      r.span = startSpan(request, r);
      if (r.span != null) {
        scope = r.span.makeCurrent();
      }
    } catch (Throwable t) {
      server.errors.record(ServerInstrumenter.COMPONENT, t);
    }

    Throwable failure = null;
    try {
      chain.doFilter(req, downstream);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      server.leaveThread(scope, mdcSet, previousId, unit);
      if (r != null) {
        boolean async = false;
        try {
          async = failure == null && request.isAsyncStarted();
          if (async) {
            request.getAsyncContext().addListener(new Listener(r), request, response);
          }
        } catch (Throwable t) {
          async = false;
          server.errors.record(ServerInstrumenter.COMPONENT, t);
        }
        if (!async) {
          r.finish(response, failure);
        }
      }
    }
  }

  /** Resolves the route and counts the request in flight (last, so nothing can leak it). */
  private Request begin(HttpServletRequest request) {
    long start = System.nanoTime();
    String rawMethod = request.getMethod();
    int method = Methods.index(rawMethod);
    int scheme = ServerMetrics.scheme(request.getScheme());
    String contextPath = request.getContextPath();
    String uri = request.getRequestURI();
    String path = contextPath.isEmpty() || !uri.startsWith(contextPath)
        ? uri : uri.substring(contextPath.length());
    String inContext = path.isEmpty() ? "/" : path;
    RouteStats route = server.metrics.resolveTemplate(inContext, contextPath);
    if (route == null) { // the servlet mapping object is built per call: only when needed
      route = server.metrics.resolveUnmatched(inContext, contextPath,
          containerPattern(request, contextPath));
    }
    InFlight active = server.metrics.active(method, scheme);
    Request r = new Request(start, method, rawMethod, scheme, uri, route, active);
    active.inc();
    r.activeCounted = true;
    return r;
  }

  /** The valid incoming ID or a new one; echoed (unless turned off) and kept as an attribute. */
  private String correlate(HttpServletRequest request, HttpServletResponse response) {
    String id = null;
    String echoHeader = null;
    for (String h : server.correlation.headers()) {
      String v = request.getHeader(h);
      if (v != null) {
        if (Correlation.isValid(v)) {
          id = v;
          echoHeader = h;
        }
        break;
      }
    }
    if (id == null) {
      id = Correlation.generate();
      echoHeader = server.correlation.primaryHeader();
    }
    request.setAttribute(HttpNames.CORRELATION_ID_ATTRIBUTE, id);
    if (server.correlation.echo()) {
      response.setHeader(echoHeader, id);
    }
    return id;
  }

  private Span startSpan(HttpServletRequest request, Request r) {
    Tracing.On on = server.tracing.get(r.start);
    if (on == null) {
      return null;
    }
    Span span = server.startSpan(on, request, GETTER, r.route, r.method, r.rawMethod, r.scheme,
        r.uri);
    if (!span.isRecording()) {
      return span; // dropped by the sampler: the attributes below would be discarded
    }
    span.setAttribute(Tracing.SERVER_ADDRESS, request.getServerName());
    span.setAttribute(Tracing.SERVER_PORT, request.getServerPort());
    String remote = request.getRemoteAddr();
    if (remote != null) {
      span.setAttribute(Tracing.CLIENT_ADDRESS, remote);
    }
    String agent = request.getHeader("User-Agent");
    if (agent != null) {
      span.setAttribute(Tracing.USER_AGENT, agent);
    }
    return span;
  }

  private static String containerPattern(HttpServletRequest request, String contextPath) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getMappingMatch() == null) {
      return null;
    }
    MappingMatch match = mapping.getMappingMatch();
    if (match == MappingMatch.DEFAULT) {
      return null;
    }
    String pattern = mapping.getPattern();
    if (match == MappingMatch.CONTEXT_ROOT || pattern == null || pattern.isEmpty()) {
      pattern = "/";
    }
    if (contextPath.isEmpty()) {
      return pattern;
    }
    return pattern.startsWith("*.") ? contextPath + "/" + pattern : contextPath + pattern;
  }

  /** State of one request, kept for the async listener. */
  private final class Request {
    final long start;
    final int method;
    final String rawMethod;
    final int scheme;
    final String uri;
    final RouteStats route;
    final InFlight active;
    final AtomicBoolean finished = new AtomicBoolean();
    boolean activeCounted;
    String correlationId;
    Span span;
    /** The response passed down the chain, counting the body bytes written through it. */
    CountingServletResponse body;
    long requestBytes = -1;
    String clientAddress;
    String userAgent;

    Request(long start, int method, String rawMethod, int scheme, String uri, RouteStats route,
        InFlight active) {
      this.start = start;
      this.method = method;
      this.rawMethod = rawMethod;
      this.scheme = scheme;
      this.uri = uri;
      this.route = route;
      this.active = active;
    }

    void finish(HttpServletResponse response, Throwable failure) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      long elapsed = System.nanoTime() - start;
      if (activeCounted) {
        try {
          active.dec();
        } catch (Throwable t) {
          server.errors.record(ServerInstrumenter.COMPONENT, t);
        }
      }
      try {
        int status = response.getStatus();
        if (failure != null && !response.isCommitted() && status < 500) {
          status = 500; // what the container sends for an exception that escaped the servlet
        }
        String errorType = failure == null ? null : failure.getClass().getName();
        long responseBytes = responseBytes(this, response);
        server.metrics.record(route, method, scheme, status, errorType, elapsed, requestBytes,
            responseBytes);
        AccessLog log = server.accessLog;
        if (log.enabled && log.wants(status, errorType, elapsed)) {
          log.log(rawMethod, route.route(), status, elapsed, requestBytes, responseBytes,
              correlationId, span, clientAddress, userAgent, errorType);
        }
        if (span != null) {
          ServerInstrumenter.endSpan(span, status, failure, errorType);
        }
      } catch (Throwable t) {
        server.errors.record(ServerInstrumenter.COMPONENT, t);
      }
    }
  }

  /**
   * The body bytes written through the response the filter passed down, or, when the
   * application wrote none through it (an async request answered through
   * {@code AsyncContext.getResponse()}, the original response, or no body written), the
   * {@code Content-Length} header; -1 when neither is known.
   */
  private static long responseBytes(Request r, HttpServletResponse response) {
    CountingServletResponse body = r.body;
    if (body != null && body.used()) {
      return body.bytes();
    }
    return ContentLength.parse(response.getHeader("Content-Length"));
  }

  /** Records an async request when it ends, however it ends. */
  private final class Listener implements AsyncListener {
    private final Request r;
    private volatile Throwable failure;

    Listener(Request r) {
      this.r = r;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      r.finish((HttpServletResponse) event.getSuppliedResponse(), failure);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container answers (500 unless a listener dispatches); onComplete records it.
    }

    @Override
    public void onError(AsyncEvent event) {
      failure = event.getThrowable();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this, event.getSuppliedRequest(),
          event.getSuppliedResponse());
    }
  }
}
