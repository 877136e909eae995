package dev.telemetrykit.http.internal;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * One route's bound series, so a request on a route already seen records without a hash lookup
 * and without allocating: entries keyed by an int made of method, scheme and status, found by a
 * linear scan of a small copy-on-write array (a route typically sees a handful of
 * method/status pairs). Entries are added under a lock, at most {@link #MAX_ENTRIES}; past
 * that, recordings bind through the cardinality guard each time (correct, just not cached).
 */
public final class RouteStats {

  static final int MAX_ENTRIES = 64;

  final String route;
  final boolean cacheable;
  private volatile Entry[] entries = new Entry[0];
  /** {@code entries[0]} once there is one. */
  private volatile Entry first;
  private final String[] spanNames = new String[Methods.COUNT];

  RouteStats(String route, boolean cacheable) {
    this.route = route;
    this.cacheable = cacheable;
  }

  /** The {@code http_route} value. */
  public String route() {
    return route;
  }

  /** {@code "{method} {route}"} (or just the method for an unmatched route), cached per method. */
  public String spanName(int method) {
    String name = spanNames[method];
    if (name == null) {
      String m = method == Methods.OTHER ? "HTTP" : Methods.name(method);
      name = route.equals(dev.telemetrykit.http.HttpNames.OTHER) ? m : m + " " + route;
      spanNames[method] = name; // benign race: every thread computes the same value
    }
    return name;
  }

  Entry find(int key) {
    // Most requests of a route end in its first combination (GET, 200): checked from this
    // object, before the array, which is one more line to miss in a server's cold caches.
    Entry first = this.first;
    if (first != null && first.key == key) {
      return first;
    }
    for (Entry e : entries) {
      if (e.key == key) {
        return e;
      }
    }
    return null;
  }

  /** Adds an entry unless full; returns the entry now stored for the key, or the argument. */
  synchronized Entry add(Entry created) {
    Entry[] current = entries;
    for (Entry e : current) {
      if (e.key == created.key) {
        return e;
      }
    }
    if (!cacheable || current.length >= MAX_ENTRIES) {
      return created;
    }
    Entry[] next = java.util.Arrays.copyOf(current, current.length + 1);
    next[current.length] = created;
    entries = next;
    if (current.length == 0) {
      first = created;
    }
    return created;
  }

  static final class Entry {
    final int key;
    final String[] labels;
    final DistributionDataPoint duration;
    // Bound on first use, so a route that never reports a size has no empty size series.
    volatile DistributionDataPoint requestSize;
    volatile DistributionDataPoint responseSize;

    Entry(int key, String[] labels, DistributionDataPoint duration) {
      this.key = key;
      this.labels = labels;
      this.duration = duration;
    }
  }
}
