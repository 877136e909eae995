package dev.telemetrykit.http.internal;

import dev.telemetrykit.core.internal.Stripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The number of requests in flight for one method and scheme, counted in stripes so that the
 * worker threads of a server do not all write one memory word. A single shared counter (a
 * client_java gauge: one {@code AtomicLong}, two compare-and-sets per request) made every
 * request wait for the cache line the previous request on another core had just written:
 * through one filter shared by two threads, the JDK filter took about 980 ns per request
 * instead of 250 ns (JMH {@code HttpFilterShared -t 2}), 310 ns of it this gauge.
 *
 * <p>A thread adds to the stripe its thread ID selects; stripes are 128 bytes apart, so two
 * threads with different stripes never share a cache line (or the adjacent line a CPU may
 * prefetch). A request may end on another thread than the one it began on (asynchronous
 * servlets): the total over all stripes is still right. The total is read at scrape time, not
 * atomically across stripes, so a scrape racing a request that ends on another stripe can see
 * it ended before it began; such a total is reported as 0, never negative.
 */
public final class InFlight {

  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
  /** Longs per stripe: 128 bytes. */
  private static final int PAD = 16;
  private static final int STRIPES = Stripes.COUNT;

  // Stripe k lives at index (k + 1) * PAD: the first PAD longs keep stripe 0 off the line of
  // the array's header, which readers of the array (and its length) touch.
  private final long[] cells = new long[(STRIPES + 1) * PAD];

  /** Counts a request that began. */
  public void inc() {
    CELLS.getAndAdd(cells, slot(), 1L);
  }

  /** Counts a request that ended. */
  public void dec() {
    CELLS.getAndAdd(cells, slot(), -1L);
  }

  /** The requests in flight now (never negative). */
  public long get() {
    long sum = 0;
    for (int i = PAD; i < cells.length; i += PAD) {
      sum += (long) CELLS.getVolatile(cells, i);
    }
    return Math.max(0, sum);
  }

  private static int slot() {
    return (Stripes.current() + 1) * PAD;
  }
}
