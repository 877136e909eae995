package dev.telemetrykit.cache.caffeine;

import static dev.telemetrykit.cache.Kits.scrape;
import static dev.telemetrykit.cache.Kits.series;
import static dev.telemetrykit.cache.Kits.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.telemetrykit.cache.CacheTelemetry;
import dev.telemetrykit.cache.Kits;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CaffeineStatsTest {

  /** A ticker the test moves by hand. */
  static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  private static double gets(TelemetryKit kit, String cache, String result) {
    return value(kit, "cache_gets_total", cache, "", "result", result);
  }

  private static double evictions(TelemetryKit kit, String cache, String cause) {
    return value(kit, "cache_evictions_total", cache, "", "cause", cause);
  }

  @Test
  void countsExactHitsAndMisses() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "products");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());

      cache.put("a", "A");
      cache.getIfPresent("a");                      // hit
      cache.getIfPresent("a");                      // hit
      cache.getIfPresent("b");                      // miss
      cache.get("c", k -> "C");                     // miss + load success
      cache.get("c", k -> "C");                     // hit
      cache.getAllPresent(List.of("a", "c", "x"));  // 2 hits, 1 miss

      assertThat(gets(kit, "products", "hit")).isEqualTo(5);
      assertThat(gets(kit, "products", "miss")).isEqualTo(3);
      assertThat(value(kit, "cache_loads_total", "products", "", "result", "success")).isEqualTo(1);
      assertThat(value(kit, "cache_size", "products", "")).isEqualTo(2);
      CacheStats s = cache.stats();
      assertThat(s.hitCount()).isEqualTo(5);
      assertThat(s.missCount()).isEqualTo(3);
      assertThat(s.loadSuccessCount()).isEqualTo(1);
    }
  }

  @Test
  void readsThroughTheAsMapViewAreNotCountedBecauseCaffeineDoesNotReportThem() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "view");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());
      cache.put("a", "A");

      assertThat(cache.asMap().get("a")).isEqualTo("A");
      assertThat(cache.asMap().get("b")).isNull();

      assertThat(gets(kit, "view", "hit")).isZero();
      assertThat(gets(kit, "view", "miss")).isZero();
    }
  }

  @Test
  void sizeEvictionsAreCountedWithCauseSize() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "bounded");
      Cache<Integer, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).maximumSize(2).recordStats(stats).build());

      for (int i = 0; i < 5; i++) {
        cache.put(i, "v" + i);
      }
      cache.cleanUp();

      assertThat(evictions(kit, "bounded", "size")).isEqualTo(3);
      assertThat(evictions(kit, "bounded", "expired")).isZero();
      assertThat(value(kit, "cache_size", "bounded", "")).isEqualTo(2);
      assertThat(cache.stats().evictionCount()).isEqualTo(3);
      // Caches without a weigher export no weight series: it would equal the count.
      assertThat(scrape(kit)).doesNotContain("cache_eviction_weight_total{");
    }
  }

  @Test
  void expiredEntriesAreCountedWithCauseExpired() {
    FakeTicker ticker = new FakeTicker();
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "sessions");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).ticker(ticker).expireAfterWrite(Duration.ofMinutes(5))
          .recordStats(stats).build());
      cache.put("a", "A");
      cache.put("b", "B");
      ticker.advance(Duration.ofMinutes(4));
      cache.put("c", "C");
      ticker.advance(Duration.ofMinutes(2));   // a and b are 6 min old, c 2 min

      assertThat(cache.getIfPresent("a")).isNull();   // expired: a miss
      cache.cleanUp();

      assertThat(evictions(kit, "sessions", "expired")).isEqualTo(2);
      assertThat(evictions(kit, "sessions", "size")).isZero();
      assertThat(gets(kit, "sessions", "miss")).isEqualTo(1);
      assertThat(value(kit, "cache_size", "sessions", "")).isEqualTo(1);
    }
  }

  @Test
  void invalidationsAndOverwritesAreCountedByTheRemovalListenerBeforeTheApplicationsListener() {
    List<String> seenByApp = new ArrayList<>();
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "users");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats)
          .removalListener(stats.<String, String>removalListener(
              (k, v, cause) -> seenByApp.add(k + ":" + cause)))
          .build());
      cache.put("a", "A1");
      cache.put("a", "A2");        // replaced
      cache.put("b", "B");
      cache.invalidate("a");       // explicit
      cache.asMap().remove("b");   // explicit
      cache.invalidate("zzz");     // nothing to remove

      assertThat(evictions(kit, "users", "explicit")).isEqualTo(2);
      assertThat(evictions(kit, "users", "replaced")).isEqualTo(1);
      assertThat(seenByApp).containsExactly("a:REPLACED", "a:EXPLICIT", "b:EXPLICIT");
      // Caffeine's own eviction count leaves manual removals out; so does snapshot().
      assertThat(cache.stats().evictionCount()).isZero();
    }
  }

  @Test
  void withoutTheRemovalListenerExplicitAndReplacedAreAbsentRatherThanAFalseZero() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "plain");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());
      cache.put("a", "A");
      cache.invalidate("a");

      String text = scrape(kit);
      assertThat(text).contains(series("cache_evictions_total", "plain", "", "cause", "size"));
      assertThat(text).doesNotContain("cause=\"explicit\"").doesNotContain("cause=\"replaced\"");
      assertThat(text).as("Caffeine cannot report puts").doesNotContain("cache_puts_total{");
    }
  }

  @Test
  void failingLoaderIsCountedAsLoadFailureWithItsDuration() {
    IllegalStateException failure = new IllegalStateException("database down");
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "prices");
      LoadingCache<String, Integer> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats)
          .build(key -> {
            Thread.sleep(20);   // Caffeine times loads with the system clock
            throw failure;
          }));

      assertThatThrownBy(() -> cache.get("x")).isSameAs(failure);

      assertThat(value(kit, "cache_loads_total", "prices", "", "result", "failure")).isEqualTo(1);
      assertThat(value(kit, "cache_loads_total", "prices", "", "result", "success")).isZero();
      assertThat(gets(kit, "prices", "miss")).isEqualTo(1);
      String text = scrape(kit);
      assertThat(Scrapes.value(text, series("cache_load_duration_seconds_count", "prices", "")))
          .isEqualTo(1);
      assertThat(Scrapes.value(text, series("cache_load_duration_seconds_sum", "prices", "")))
          .isGreaterThanOrEqualTo(0.020);
      assertThat(Scrapes.value(text,
          series("cache_load_duration_seconds_bucket", "prices", "", "le", "0.01"))).isZero();
      assertThat(cache.stats().totalLoadTime()).isGreaterThanOrEqualTo(20_000_000L);
    }
  }

  @Test
  void aLoaderReturningNullIsALoadFailureAsCaffeineDefinesIt() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "nulls");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());

      assertThat(cache.get("a", k -> null)).isNull();

      assertThat(value(kit, "cache_loads_total", "nulls", "", "result", "failure")).isEqualTo(1);
      assertThat(value(kit, "cache_loads_total", "nulls", "", "result", "success")).isZero();
    }
  }

  @Test
  void asyncLoadingCacheCountsMissesLoadsAndHits() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "async");
      AsyncLoadingCache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats)
          .buildAsync(key -> key.toUpperCase()));

      assertThat(cache.get("a").join()).isEqualTo("A");   // miss + load
      assertThat(cache.get("a").join()).isEqualTo("A");   // hit
      assertThat(cache.getAll(List.of("a", "b")).join()).isEqualTo(Map.of("a", "A", "b", "B"));

      assertThat(gets(kit, "async", "hit")).isEqualTo(2);
      assertThat(gets(kit, "async", "miss")).isEqualTo(2);
      assertThat(value(kit, "cache_loads_total", "async", "", "result", "success")).isEqualTo(2);
      assertThat(value(kit, "cache_size", "async", "")).isEqualTo(2);
    }
  }

  @Test
  void asyncCacheCountsAFailedFutureAsLoadFailure() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "async-fail");
      AsyncCache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).buildAsync());

      CompletableFuture<String> failed =
          cache.get("a", (k, executor) -> CompletableFuture.failedFuture(new RuntimeException("x")));
      assertThat(failed).isCompletedExceptionally();
      cache.get("b", k -> "B").join();

      assertThat(value(kit, "cache_loads_total", "async-fail", "", "result", "failure"))
          .isEqualTo(1);
      assertThat(value(kit, "cache_loads_total", "async-fail", "", "result", "success"))
          .isEqualTo(1);
      assertThat(value(kit, "cache_size", "async-fail", "")).isEqualTo(1);
    }
  }

  @Test
  void concurrentHitsFromEightThreadsAreCountedExactly() throws Exception {
    int threads = 8;
    int perThread = 50_000;
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "hot");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());
      cache.put("k", "v");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
              cache.getIfPresent(i % 10 == 0 ? "absent" : "k");
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      long total = (long) threads * perThread;
      assertThat(gets(kit, "hot", "miss")).isEqualTo(total / 10);
      assertThat(gets(kit, "hot", "hit")).isEqualTo(total - total / 10);
    }
  }

  @Test
  void weightedCacheAlsoReportsEvictedWeight() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "blobs");
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).maximumWeight(10)
          .weigher((String k, String v) -> v.length())
          .recordStats(stats).build());
      cache.put("a", "123456");
      cache.put("b", "1234567");   // 13 > 10: one of them (weight 6 or 7) is evicted
      cache.cleanUp();

      double weight = value(kit, "cache_eviction_weight_total", "blobs", "", "cause", "size");
      assertThat(evictions(kit, "blobs", "size")).isEqualTo(1);
      assertThat(weight).isIn(6.0, 7.0);
      assertThat(cache.stats().evictionWeight()).isEqualTo((long) weight);
    }
  }

  @Test
  void registeringACacheThatDoesNotRecordStatsFailsFast() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "forgot");
      Cache<String, String> cache = Caffeine.newBuilder().build();
      assertThatThrownBy(() -> stats.register(cache))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'forgot'").hasMessageContaining("recordStats");
    }
  }

  @Test
  void registeringTwoLiveCachesUnderOneNameFailsFast() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "dup");
      Cache<String, String> first = stats.register(
          Caffeine.newBuilder().recordStats(stats).build());
      Cache<String, String> second = Caffeine.newBuilder().recordStats(stats).build();
      assertThatThrownBy(() -> stats.register(second))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache_size");
      assertThat(first.estimatedSize()).isZero();
    }
  }

  @Test
  void tieredCaffeineStatsCarryTheTierLabel() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.builder(kit, "products").tier("l1").caffeineStats();
      Cache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).recordStats(stats).build());
      cache.getIfPresent("a");

      assertThat(value(kit, "cache_gets_total", "products", "l1", "result", "miss")).isEqualTo(1);
      assertThat(stats).hasToString("CaffeineStats[cache=products, tier=l1]");
    }
  }

  @Test
  void scrapeOfEveryCaffeineMetricPassesPromtool() {
    FakeTicker ticker = new FakeTicker();
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "products");
      LoadingCache<String, String> cache = stats.register(Caffeine.newBuilder()
          .executor(Runnable::run).ticker(ticker).maximumWeight(100)
          .weigher((String k, String v) -> 1).expireAfterAccess(Duration.ofMinutes(1))
          .recordStats(stats).removalListener(stats.removalListener())
          .build(k -> {
            if (k.startsWith("bad")) {
              throw new IllegalArgumentException(k);
            }
            return k;
          }));
      cache.get("a");
      cache.get("a");
      assertThatThrownBy(() -> cache.get("bad")).isInstanceOf(IllegalArgumentException.class);
      cache.invalidate("a");
      CaffeineStats l1 = CacheTelemetry.builder(kit, "products").tier("l1").caffeineStats();
      l1.register(Caffeine.newBuilder().recordStats(l1).build());

      String text = scrape(kit);
      assertThat(text).contains("cache_gets_total{", "cache_loads_total{",
          "cache_load_duration_seconds_bucket{", "cache_evictions_total{",
          "cache_eviction_weight_total{", "cache_size{");
      Promtool.Result lint = Promtool.checkMetrics(text);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }

  @Test
  void snapshotLoadTimeIsTheHistogramSumInNanoseconds() {
    try (TelemetryKit kit = Kits.start()) {
      CaffeineStats stats = CacheTelemetry.caffeineStats(kit, "direct");
      stats.recordLoadSuccess(1_500_000_000L);
      stats.recordLoadFailure(500_000_000L);
      stats.recordEviction(3, RemovalCause.SIZE);
      stats.recordEviction(1, RemovalCause.EXPLICIT);   // not Caffeine's contract: ignored

      CacheStats s = stats.snapshot();
      assertThat(s.totalLoadTime()).isEqualTo(2_000_000_000L);
      assertThat(s.loadSuccessCount()).isEqualTo(1);
      assertThat(s.loadFailureCount()).isEqualTo(1);
      assertThat(s.evictionCount()).isEqualTo(1);
      assertThat(Scrapes.value(scrape(kit),
          series("cache_load_duration_seconds_sum", "direct", ""))).isCloseTo(2.0, offset(1e-9));
    }
  }
}
