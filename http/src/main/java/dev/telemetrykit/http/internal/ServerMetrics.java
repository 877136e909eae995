package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.meter.CallbackFamily;
import dev.telemetrykit.core.meter.GuardedHistogram;
import dev.telemetrykit.core.meter.Meters;
import dev.telemetrykit.http.HttpNames;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The server metrics of CONVENTIONS.md and the route resolution feeding their
 * {@code http_route} label.
 *
 * <p>Hot path: a request on a known route with a plain status records through
 * {@link RouteStats} entries bound once (no hash lookup, no allocation); the first request of
 * a method/status/route combination binds through the core cardinality guard, which caps the
 * number of series in every case. Requests that failed with an exception bind per request
 * (one guard lookup each; exceptions are the rare path).
 */
public final class ServerMetrics {

  /** Duration buckets (seconds) advised by the semantic conventions. */
  public static final double[] DURATION_BUCKETS = {
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
  /** Body-size buckets (bytes): powers of 4 from 64 B to 64 MiB. */
  public static final double[] SIZE_BUCKETS = {
      64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

  static final String[] SCHEMES = {"http", "https"};

  private final GuardedHistogram duration;
  private final GuardedHistogram requestSize;
  private final GuardedHistogram responseSize;
  /**
   * The in-flight counters of each callback family, shared by every {@code ServerMetrics} that
   * reports through it (several filters on one registry), as the series they report are; weak,
   * so a family unregistered with its registry's metrics takes its counters with it.
   */
  private static final Map<CallbackFamily, AtomicReferenceArray<InFlight>> IN_FLIGHT =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final CallbackFamily active;
  private final AtomicReferenceArray<InFlight> activeBound;
  /**
   * The counters of {@link #activeBound} once bound, read from a plain array on the request
   * path: each object between the filter and the counted cell is one more line a request
   * misses in a server's cold caches.
   */
  private final InFlight[] activeCache = new InFlight[Methods.COUNT * 2];
  private final RouteMatcher matcher;
  private final ConcurrentHashMap<String, RouteStats> routes = new ConcurrentHashMap<>();
  /** The route of each template (by {@link RouteMatcher#matchIndex}) when no prefix is added. */
  private final RouteStats[] templateRoutes;
  private final int routeCacheLimit;
  private final RouteStats other;

  /**
   * @param matcher the registered templates, or {@code null} when none were registered (paths
   *     are then normalised)
   */
  public ServerMetrics(Meters meters, RouteMatcher matcher) {
    String[] labels = {HttpNames.METHOD, HttpNames.STATUS_CODE, HttpNames.ROUTE,
        HttpNames.SCHEME, HttpNames.ERROR_TYPE};
    this.duration = meters.histogram(HttpNames.SERVER_DURATION)
        .help("Duration of HTTP server requests").labelNames(labels)
        .buckets(DURATION_BUCKETS).register();
    this.requestSize = meters.histogram(HttpNames.SERVER_REQUEST_BODY_SIZE)
        .help("Size of HTTP server request bodies, where known").labelNames(labels)
        .buckets(SIZE_BUCKETS).register();
    this.responseSize = meters.histogram(HttpNames.SERVER_RESPONSE_BODY_SIZE)
        .help("Size of HTTP server response bodies, where known").labelNames(labels)
        .buckets(SIZE_BUCKETS).register();
    // Read at scrape time from striped counters (see InFlight): a gauge updated on every
    // request by every worker was a cache line all of them wrote.
    this.active = meters.callbackGauge(HttpNames.SERVER_ACTIVE)
        .help("Number of HTTP server requests in flight")
        .labelNames(HttpNames.METHOD, HttpNames.SCHEME)
        .component(ServerInstrumenter.COMPONENT)
        .register();
    this.activeBound = IN_FLIGHT.computeIfAbsent(active,
        family -> new AtomicReferenceArray<>(Methods.COUNT * 2));
    this.matcher = matcher;
    this.routeCacheLimit = meters.cardinalityLimit();
    this.other = new RouteStats(HttpNames.OTHER, true);
    this.templateRoutes = new RouteStats[matcher == null ? 0 : matcher.size()];
    for (int i = 0; i < templateRoutes.length; i++) {
      templateRoutes[i] = route(matcher.template(i));
    }
  }

  /** Scheme index: 0 = http, 1 = https. */
  public static int scheme(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 1 : 0;
  }

  /** The scheme name of an index. */
  public static String schemeName(int scheme) {
    return SCHEMES[scheme];
  }

  /** The registered templates' matcher, or {@code null}. */
  public RouteMatcher matcher() {
    return matcher;
  }

  /**
   * The route of a JDK server request: a registered template when one matches (from an array,
   * without a map lookup), else {@link #resolveUnmatched} with no prefix and no container
   * pattern.
   *
   * @param path the raw path, without the query string
   */
  public RouteStats resolve(String path) {
    int template = matcher == null ? -1 : matcher.matchIndex(path);
    return template >= 0 ? templateRoutes[template] : resolveUnmatched(path, "", null);
  }

  /**
   * The route of the registered template matching {@code path}, or {@code null} when none
   * matches (or none is registered). With {@link #resolveUnmatched}, the route of a servlet
   * request, whose container pattern costs something to compute (the servlet mapping) and is
   * needed only when no template matches.
   *
   * @param path the raw path, without the query string, inside the context path
   * @param prefix prepended to a matched template (the servlet context path), or {@code ""}
   */
  public RouteStats resolveTemplate(String path, String prefix) {
    if (matcher != null) {
      int template = matcher.matchIndex(path);
      if (template >= 0) {
        return prefix.isEmpty()
            ? templateRoutes[template] : route(prefix + matcher.template(template));
      }
    }
    return null;
  }

  /**
   * The route of a path no template matched: the container's mapping pattern when given; else
   * {@code _OTHER} when templates are registered, or the normalised path when none are.
   *
   * @param containerPattern e.g. {@code /orders/*}, already prefixed; or {@code null}
   */
  public RouteStats resolveUnmatched(String path, String prefix, String containerPattern) {
    if (containerPattern != null) {
      return route(containerPattern);
    }
    if (matcher != null) {
      return other;
    }
    String normalized = PathNormalizer.normalize(path);
    return route(prefix.isEmpty() ? normalized : prefix + normalized);
  }

  private RouteStats route(String route) {
    RouteStats known = routes.get(route);
    if (known != null) {
      return known;
    }
    if (routes.size() >= routeCacheLimit) {
      // Past the limit the guard folds new series into _OTHER anyway; do not grow the cache.
      return new RouteStats(route, false);
    }
    RouteStats created = new RouteStats(route, true);
    RouteStats raced = routes.putIfAbsent(route, created);
    return raced != null ? raced : created;
  }

  /** The in-flight counter of a method and scheme; its series is registered once. */
  public InFlight active(int method, int scheme) {
    int i = method * 2 + scheme;
    InFlight cached = activeCache[i];
    if (cached != null) {
      return cached;
    }
    InFlight counter = activeBound.get(i);
    if (counter == null) {
      InFlight created = new InFlight();
      if (activeBound.compareAndSet(i, null, created)) {
        active.add(created::get, Methods.name(method), SCHEMES[scheme]);
        counter = created;
      } else {
        counter = activeBound.get(i);
      }
    }
    // Benign race: every thread caches the one counter the CAS above published (its fields
    // are final, so a thread reading it from this plain array sees it whole).
    activeCache[i] = counter;
    return counter;
  }

  /**
   * Records one finished request.
   *
   * @param status the status code sent, or a value {@code <= 0} when none was sent
   * @param errorType the exception class name when the request failed with one, else
   *     {@code null} (a 5xx status is then the error type)
   * @param requestBytes the request body size, or {@code -1} when unknown
   * @param responseBytes the response body size, or {@code -1} when unknown
   */
  public void record(RouteStats route, int method, int scheme, int status, String errorType,
      long durationNanos, long requestBytes, long responseBytes) {
    double seconds = durationNanos / 1e9;
    if (errorType != null) {
      String[] labels = {Methods.name(method), statusLabel(status), route.route,
          SCHEMES[scheme], errorType};
      duration.labelValues(labels).observe(seconds);
      if (requestBytes >= 0) {
        requestSize.labelValues(labels).observe(requestBytes);
      }
      if (responseBytes >= 0) {
        responseSize.labelValues(labels).observe(responseBytes);
      }
      return;
    }
    int code = status >= 100 && status <= 999 ? status : 0;
    int key = (method * 2 + scheme) * 1000 + code;
    RouteStats.Entry e = route.find(key);
    if (e == null) {
      e = route.add(newEntry(key, route, method, scheme, code));
    }
    e.duration.observe(seconds);
    if (requestBytes >= 0) {
      DistributionDataPoint dp = e.requestSize;
      if (dp == null) {
        dp = requestSize.labelValues(e.labels);
        e.requestSize = dp;
      }
      dp.observe(requestBytes);
    }
    if (responseBytes >= 0) {
      DistributionDataPoint dp = e.responseSize;
      if (dp == null) {
        dp = responseSize.labelValues(e.labels);
        e.responseSize = dp;
      }
      dp.observe(responseBytes);
    }
  }

  private RouteStats.Entry newEntry(int key, RouteStats route, int method, int scheme, int code) {
    String status = statusLabel(code);
    String error = code >= 500 && code <= 599 ? status : "";
    String[] labels = {Methods.name(method), status, route.route, SCHEMES[scheme], error};
    return new RouteStats.Entry(key, labels, duration.labelValues(labels));
  }

  /** Status codes 100–999 as strings, so a per-request label lookup makes no new String. */
  private static final String[] STATUS_LABELS = new String[900];

  static {
    for (int i = 0; i < STATUS_LABELS.length; i++) {
      STATUS_LABELS[i] = Integer.toString(100 + i);
    }
  }

  /** The status label value: the code, or empty when no response was sent. */
  static String statusLabel(int status) {
    return status >= 100 && status <= 999 ? STATUS_LABELS[status - 100] : "";
  }
}
