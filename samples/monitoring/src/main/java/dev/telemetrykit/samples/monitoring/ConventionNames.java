package dev.telemetrykit.samples.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a dashboard or alert may use: those of {@code docs/CONVENTIONS.md} (the
 * project's naming contract), the JVM/process metrics of {@code prometheus-metrics-instrumentation-jvm},
 * Prometheus's own per-target series ({@code up}, {@code scrape_*}) and TelemetryKit
 * self-metrics. Catches typos: a name not known here is not emitted by anything.
 *
 * <pre>{@code
 * ConventionNames names = ConventionNames.load(repoRoot.resolve("docs/CONVENTIONS.md"));
 * names.unknown(query.metricNames()); // [] when every name is real
 * }</pre>
 *
 * <p>Histograms and summaries are used through their series: {@code _bucket} (histograms only),
 * {@code _count} and {@code _sum}.
 */
public final class ConventionNames {

  /** Metric type as far as suffixes go. */
  enum Type {
    COUNTER, GAUGE, HISTOGRAM, SUMMARY, INFO,
    /** Named in prose without a type: a {@code _seconds} name may be a histogram or a summary. */
    UNKNOWN
  }

  /**
   * Names not in CONVENTIONS.md that TelemetryKit services expose: client_java's JVM/process
   * metrics (1.8.0, as scraped), series Prometheus adds per target, and the tracing module's
   * self-metrics (CONVENTIONS.md names them only by example).
   */
  static final Map<String, Type> KNOWN_EXTRA;

  static {
    Map<String, Type> m = new LinkedHashMap<>();
    for (String g : List.of("jvm_buffer_pool_capacity_bytes", "jvm_buffer_pool_used_buffers",
        "jvm_buffer_pool_used_bytes", "jvm_classes_currently_loaded", "jvm_memory_committed_bytes",
        "jvm_memory_init_bytes", "jvm_memory_max_bytes", "jvm_memory_used_bytes",
        "jvm_memory_objects_pending_finalization", "jvm_memory_pool_committed_bytes",
        "jvm_memory_pool_init_bytes", "jvm_memory_pool_max_bytes", "jvm_memory_pool_used_bytes",
        "jvm_memory_pool_collection_committed_bytes", "jvm_memory_pool_collection_init_bytes",
        "jvm_memory_pool_collection_max_bytes", "jvm_memory_pool_collection_used_bytes",
        "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_deadlocked",
        "jvm_threads_deadlocked_monitor", "jvm_threads_peak", "jvm_threads_state",
        "process_max_fds", "process_open_fds", "process_resident_memory_bytes",
        "process_start_time_seconds", "process_virtual_memory_bytes",
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added")) {
      m.put(g, Type.GAUGE);
    }
    for (String c : List.of("jvm_classes_loaded_total", "jvm_classes_unloaded_total",
        "jvm_compilation_time_seconds_total", "jvm_memory_pool_allocated_bytes_total",
        "jvm_threads_started_total", "process_cpu_seconds_total",
        "telemetrykit_spans_exported_total", "telemetrykit_spans_dropped_total")) {
      m.put(c, Type.COUNTER);
    }
    m.put("jvm_gc_collection_seconds", Type.SUMMARY);
    m.put("jvm_runtime_info", Type.INFO);
    KNOWN_EXTRA = Collections.unmodifiableMap(m);
  }

  private static final Pattern BACKTICK = Pattern.compile("`([^`]+)`");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern PROSE_METRIC =
      Pattern.compile("([a-z][a-z0-9_]*)(\\{[^}]*})?");

  private final Map<String, Type> names;

  private ConventionNames(Map<String, Type> names) {
    this.names = Collections.unmodifiableMap(names);
  }

  /** Reads CONVENTIONS.md and adds {@link #KNOWN_EXTRA}. */
  public static ConventionNames load(Path conventionsMd) {
    Objects.requireNonNull(conventionsMd, "conventionsMd");
    try {
      return parse(Files.readString(conventionsMd));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ConventionNames parse(String markdown) {
    Map<String, Type> found = new LinkedHashMap<>();
    List<String[]> abbreviated = new ArrayList<>(); // {base, suffix, type}
    for (String line : markdown.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("|")) {
        String[] cells = trimmed.split("\\|");
        if (cells.length < 3 || cells[1].contains("---")) {
          continue;
        }
        Type type = typeOf(cells[2]);
        String base = null;
        Matcher m = BACKTICK.matcher(cells[1]);
        while (m.find()) {
          String token = m.group(1).trim();
          if (token.startsWith("_") && base != null) {
            abbreviated.add(new String[] {base, token, type.name()});
          } else if (NAME.matcher(token).matches() && token.contains("_")) {
            found.put(token, type);
            base = token;
          }
        }
      } else {
        Matcher m = BACKTICK.matcher(line);
        while (m.find()) {
          Matcher p = PROSE_METRIC.matcher(m.group(1).trim());
          if (!p.matches()) {
            continue;
          }
          String token = p.group(1);
          boolean labelled = p.group(2) != null;
          if (labelled || token.matches(".*_(total|seconds|bytes|threads|tasks)")) {
            found.putIfAbsent(token, token.endsWith("_total") ? Type.COUNTER
                : token.endsWith("_info") ? Type.INFO : Type.UNKNOWN);
          }
        }
      }
    }
    for (String[] a : abbreviated) {
      found.putIfAbsent(expand(a[0], a[1], found.keySet()), Type.valueOf(a[2]));
    }
    Map<String, Type> all = new LinkedHashMap<>(KNOWN_EXTRA);
    all.putAll(found);
    return new ConventionNames(all);
  }

  /**
   * {@code db_client_connection_max} + {@code _idle_max} → {@code db_client_connection_idle_max}:
   * the base's longest prefix (at a {@code _}) that another documented name shares, plus the
   * suffix.
   */
  private static String expand(String base, String suffix, Collection<String> names) {
    for (int cut = base.lastIndexOf('_'); cut > 0; cut = base.lastIndexOf('_', cut - 1)) {
      String prefix = base.substring(0, cut + 1);
      for (String other : names) {
        if (!other.equals(base) && other.startsWith(prefix)) {
          return base.substring(0, cut) + suffix;
        }
      }
    }
    return base + suffix;
  }

  private static Type typeOf(String cell) {
    String c = cell.trim().toLowerCase();
    if (c.startsWith("histogram")) {
      return Type.HISTOGRAM;
    }
    if (c.startsWith("counter")) {
      return Type.COUNTER;
    }
    if (c.startsWith("gauge")) {
      return Type.GAUGE;
    }
    return Type.UNKNOWN;
  }

  /** Whether {@code metricName} (a series name as queried) is one a TelemetryKit service exposes. */
  public boolean contains(String metricName) {
    Objects.requireNonNull(metricName, "metricName");
    if (names.containsKey(metricName)) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (metricName.endsWith(suffix)) {
        Type type = names.get(metricName.substring(0, metricName.length() - suffix.length()));
        if (type == Type.HISTOGRAM || type == Type.UNKNOWN
            || (type == Type.SUMMARY && !suffix.equals("_bucket"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The names of {@code metricNames} that are not known, sorted. */
  public List<String> unknown(Collection<String> metricNames) {
    TreeSet<String> unknown = new TreeSet<>();
    for (String n : metricNames) {
      if (!contains(n)) {
        unknown.add(n);
      }
    }
    return new ArrayList<>(unknown);
  }

  /** Every known name (series suffixes not expanded). */
  public java.util.Set<String> names() {
    return names.keySet();
  }
}
