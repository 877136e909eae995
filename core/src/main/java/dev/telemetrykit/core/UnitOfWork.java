package dev.telemetrykit.core;

import java.util.Arrays;

/**
 * One unit of work on the current thread — a server request, a
 * {@code TelemetryLogging.correlate(...)} scope, a span the application opens one around — in
 * which instrumentations count repeated events, e.g. the jdbc module's N+1 query detection.
 *
 * <pre>{@code
 * try (UnitOfWork.Scope unit = UnitOfWork.open("nightly-import")) {
 *   importOrders();              // statements run here are counted per normalised statement
 * }
 * }</pre>
 *
 * <p>The HTTP server filters of the http module open one per request once something counts in
 * units ({@link #enableForRequests()}: the jdbc module's {@code DataSource} wrapper does);
 * {@code CorrelationScope} always opens one.
 * Units do not nest: inside an open unit, {@link #open}/{@link #begin} only count a level and
 * the outer unit goes on (its name and counts are the ones reported). Everything a unit
 * counted is dropped when it ends; the object itself is reused by the next unit on the thread,
 * so never keep a reference to it past {@link EndListener#unitEnded}.
 *
 * <p>Memory per unit is bounded: at most {@link #MAX_KEYS} distinct keys are counted, later
 * ones are ignored ({@link #overflowed()}). Outside a unit, {@link #current()} costs one
 * thread-local read and allocates nothing. Not thread-safe: a unit belongs to its thread.
 *
 * @since 0.1.0
 */
public final class UnitOfWork {

  /** The most distinct keys one unit counts; later keys are not counted. */
  public static final int MAX_KEYS = 64;
  /** The most end listeners one unit calls; later ones are ignored. */
  static final int MAX_LISTENERS = 8;

  private static final ThreadLocal<UnitOfWork> CURRENT = new ThreadLocal<>();
  private static volatile boolean forRequests;

  /** Called once when the unit it was added to ends, on the unit's thread. */
  @FunctionalInterface
  public interface EndListener {
    /**
     * The unit ended; its name and counts are still readable during this call. Exceptions
     * thrown here are swallowed (instrumentation must not fail the application).
     */
    void unitEnded(UnitOfWork unit);
  }

  /** Ends the unit opened by {@link #open}; idempotent. */
  public static final class Scope implements AutoCloseable {
    private boolean closed;

    private Scope() {}

    /** Ends the unit (or leaves one nesting level of it). */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        end();
      }
    }
  }

  private int depth;
  private String name;
  private Object[] keys;
  private Object[] values;
  private int[] counts;
  private int[] hashes;
  private int size;
  private boolean overflowed;
  private EndListener[] listeners;
  private int listenerCount;

  private UnitOfWork() {}

  /**
   * Asks the HTTP server filters to open a unit around every request from now on (for the rest
   * of the process). The jdbc module calls this when it wraps a {@code DataSource}; call it
   * yourself when your own code {@link #count counts} in the units of requests and no wrapped
   * {@code DataSource} exists. Until something asks, the filters skip the unit: opening and
   * ending one per request reads a thread-local and writes the unit, several cache lines a
   * server misses on every request, for counts nothing would read. Idempotent.
   */
  public static void enableForRequests() {
    if (!forRequests) {
      forRequests = true;
    }
  }

  /** Whether the HTTP server filters open a unit per request ({@link #enableForRequests()}). */
  public static boolean enabledForRequests() {
    return forRequests;
  }

  /** The unit open on this thread, or {@code null}. One thread-local read, no allocation. */
  public static UnitOfWork current() {
    UnitOfWork u = CURRENT.get();
    return u != null && u.depth > 0 ? u : null;
  }

  /**
   * Opens a unit named {@code name} (a route template, a job name — low cardinality, shown in
   * log lines) on this thread; close the scope on the same thread.
   */
  public static Scope open(String name) {
    begin(name);
    return new Scope();
  }

  /**
   * Opens a unit without a scope object, for code that cannot use try-with-resources (filters);
   * pair every call with {@link #end()} (or {@link #end(UnitOfWork)} with the returned unit) on
   * the same thread. Never throws.
   *
   * @return this thread's unit, to hand to {@link #end(UnitOfWork)}
   */
  public static UnitOfWork begin(String name) {
    UnitOfWork u = CURRENT.get();
    if (u == null) {
      u = new UnitOfWork();
      CURRENT.set(u);
    }
    if (u.depth++ == 0) {
      u.name = name == null ? "" : name;
    }
    return u;
  }

  /**
   * Ends the unit begun on this thread (or leaves one nesting level): calls the end listeners,
   * then forgets every count. Does nothing when no unit is open. Never throws.
   */
  public static void end() {
    end(CURRENT.get());
  }

  /**
   * {@link #end()} for the unit {@link #begin(String)} returned on this thread, without a second
   * thread-local read (request filters run this on every request). Does nothing for
   * {@code null} or a unit that is not open. Never throws.
   */
  public static void end(UnitOfWork u) {
    if (u == null || u.depth == 0) {
      return;
    }
    if (--u.depth > 0) {
      return;
    }
    try {
      for (int i = 0; i < u.listenerCount; i++) {
        try {
          u.listeners[i].unitEnded(u);
        } catch (Throwable ignored) {
          // a listener is instrumentation; it reports its own failures
        }
      }
    } finally {
      u.reset();
    }
  }

  private void reset() {
    if (size > 0) {
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
    }
    if (listenerCount > 0) {
      Arrays.fill(listeners, 0, listenerCount, null);
      listenerCount = 0;
    }
    overflowed = false;
    name = null;
  }

  /** The unit's name as given when it was opened. */
  public String name() {
    return name;
  }

  /**
   * Counts one more occurrence of {@code key} (compared with {@code equals}) and returns the new
   * count; {@code value} is kept with the key the first time it is seen. Returns 0 when the
   * key is new but {@link #MAX_KEYS} keys are already counted.
   */
  public int count(Object key, Object value) {
    int h = key.hashCode();
    for (int i = 0; i < size; i++) {
      Object k = keys[i];
      if (k == key || (hashes[i] == h && k.equals(key))) {
        return ++counts[i];
      }
    }
    if (size == MAX_KEYS) {
      overflowed = true;
      return 0;
    }
    if (keys == null) {
      keys = new Object[MAX_KEYS];
      values = new Object[MAX_KEYS];
      counts = new int[MAX_KEYS];
      hashes = new int[MAX_KEYS];
    }
    hashes[size] = h;
    keys[size] = key;
    values[size] = value;
    counts[size] = 1;
    size++;
    return 1;
  }

  /** How many distinct keys are counted. */
  public int size() {
    return size;
  }

  /** The {@code i}-th key counted, {@code 0 <= i < size()}, in first-seen order. */
  public Object key(int i) {
    check(i);
    return keys[i];
  }

  /** The value given with the {@code i}-th key when it was first counted. */
  public Object value(int i) {
    check(i);
    return values[i];
  }

  /** How often the {@code i}-th key was counted. */
  public int count(int i) {
    check(i);
    return counts[i];
  }

  /** True when a key was not counted because {@link #MAX_KEYS} keys already were. */
  public boolean overflowed() {
    return overflowed;
  }

  /**
   * Calls {@code listener} when this unit ends; adding the same listener again does nothing.
   * At most a few listeners are kept per unit.
   */
  public void onEnd(EndListener listener) {
    for (int i = 0; i < listenerCount; i++) {
      if (listeners[i] == listener) {
        return;
      }
    }
    if (listeners == null) {
      listeners = new EndListener[MAX_LISTENERS];
    }
    if (listenerCount < MAX_LISTENERS) {
      listeners[listenerCount++] = listener;
    }
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
  }
}
