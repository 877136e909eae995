package dev.telemetrykit.cache;

import static dev.telemetrykit.cache.Kits.scrape;
import static dev.telemetrykit.cache.Kits.series;
import static dev.telemetrykit.cache.Kits.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.meter.CallbackFamily.Registration;
import dev.telemetrykit.core.testing.Promtool;
import dev.telemetrykit.core.testing.Scrapes;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class CacheRecorderTest {

  @Test
  void countsEachEventOncePerCall() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder cdn = CacheTelemetry.recorder(kit, "cdn-images");
      cdn.hit();
      cdn.hits(3);
      cdn.miss();
      cdn.misses(2);
      cdn.hits(-5);                       // ignored, never thrown
      cdn.put();
      cdn.eviction(EvictionCause.EXPIRED);
      cdn.eviction(EvictionCause.EXPIRED);
      cdn.eviction(EvictionCause.EXPLICIT);
      cdn.loadSuccess(2_000_000);
      cdn.loadFailure(3_000_000_000L);

      String text = scrape(kit);
      assertThat(Scrapes.value(text, series("cache_gets_total", "cdn-images", "", "result", "hit")))
          .isEqualTo(4);
      assertThat(Scrapes.value(text, series("cache_gets_total", "cdn-images", "", "result", "miss")))
          .isEqualTo(3);
      assertThat(Scrapes.value(text, series("cache_puts_total", "cdn-images", ""))).isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_evictions_total", "cdn-images", "", "cause", "expired"))).isEqualTo(2);
      assertThat(Scrapes.value(text,
          series("cache_evictions_total", "cdn-images", "", "cause", "explicit"))).isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_evictions_total", "cdn-images", "", "cause", "size"))).isZero();
      assertThat(Scrapes.value(text,
          series("cache_loads_total", "cdn-images", "", "result", "success"))).isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_loads_total", "cdn-images", "", "result", "failure"))).isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_load_duration_seconds_bucket", "cdn-images", "", "le", "0.0025")))
          .isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_load_duration_seconds_bucket", "cdn-images", "", "le", "5.0")))
          .isEqualTo(2);
      assertThat(Scrapes.value(text, series("cache_load_duration_seconds_sum", "cdn-images", "")))
          .isEqualTo(3.002);
    }
  }

  @Test
  void loadTimesTheLoaderAndRethrowsItsExceptionUnchanged() throws Exception {
    IOException down = new IOException("redis down");
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder redis = CacheTelemetry.recorder(kit, "sessions");

      assertThat(redis.load(() -> "value")).isEqualTo("value");
      assertThatThrownBy(() -> redis.load(() -> {
        throw down;
      })).isSameAs(down);
      assertThatThrownBy(() -> redis.load(null)).isInstanceOf(NullPointerException.class)
          .hasMessage("loader");

      assertThat(value(kit, "cache_loads_total", "sessions", "", "result", "success")).isEqualTo(1);
      assertThat(value(kit, "cache_loads_total", "sessions", "", "result", "failure")).isEqualTo(1);
      assertThat(value(kit, "cache_load_duration_seconds_count", "sessions", "")).isEqualTo(2);
    }
  }

  /**
   * The README's hand-rolled two-tier cache: an in-process map (l1) in front of a "remote" map
   * standing in for Redis (l2), in front of the database.
   */
  static final class TwoTierCache {
    final Map<String, String> local = new ConcurrentHashMap<>();
    final Map<String, String> remote = new ConcurrentHashMap<>();
    final CacheRecorder l1;
    final CacheRecorder l2;
    int databaseReads;

    TwoTierCache(TelemetryKit telemetry) {
      l1 = CacheTelemetry.builder(telemetry, "products").tier("l1").recorder();
      l2 = CacheTelemetry.builder(telemetry, "products").tier("l2").recorder();
      l1.size(local, Map::size);
      l2.size(remote, Map::size);
    }

    String get(String id) {
      String p = local.get(id);
      if (p != null) {
        l1.hit();
        return p;
      }
      l1.miss();
      p = remote.get(id);
      if (p != null) {
        l2.hit();
      } else {
        l2.miss();
        p = l2.load(() -> {
          databaseReads++;
          return "product-" + id;
        });
        remote.put(id, p);
        l2.put();
      }
      local.put(id, p);
      l1.put();
      return p;
    }
  }

  @Test
  void twoTierCacheCountsEachTierSeparately() {
    try (TelemetryKit kit = Kits.start()) {
      TwoTierCache cache = new TwoTierCache(kit);
      cache.remote.put("1", "product-1");   // already in Redis, e.g. from another instance

      cache.get("1");   // l1 miss, l2 hit
      cache.get("2");   // l1 miss, l2 miss, load
      cache.get("1");   // l1 hit
      cache.get("2");   // l1 hit

      String text = scrape(kit);
      assertThat(Scrapes.value(text, series("cache_gets_total", "products", "l1", "result", "hit")))
          .isEqualTo(2);
      assertThat(Scrapes.value(text, series("cache_gets_total", "products", "l1", "result", "miss")))
          .isEqualTo(2);
      assertThat(Scrapes.value(text, series("cache_gets_total", "products", "l2", "result", "hit")))
          .isEqualTo(1);
      assertThat(Scrapes.value(text, series("cache_gets_total", "products", "l2", "result", "miss")))
          .isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_loads_total", "products", "l2", "result", "success"))).isEqualTo(1);
      assertThat(Scrapes.value(text,
          series("cache_loads_total", "products", "l1", "result", "success"))).isZero();
      assertThat(Scrapes.value(text, series("cache_puts_total", "products", "l1"))).isEqualTo(2);
      assertThat(Scrapes.value(text, series("cache_puts_total", "products", "l2"))).isEqualTo(1);
      assertThat(Scrapes.value(text, series("cache_size", "products", "l1"))).isEqualTo(2);
      assertThat(Scrapes.value(text, series("cache_size", "products", "l2"))).isEqualTo(2);
      // The README's overall hit ratio: 1 - l2 misses / l1 lookups = 1 - 1/4.
      double overall = 1 - Scrapes.value(text,
          series("cache_gets_total", "products", "l2", "result", "miss")) / 4;
      assertThat(overall).isEqualTo(0.75);
      assertThat(cache.databaseReads).isEqualTo(1);
    }
  }

  @Test
  void recordersOfTheSameCacheAndTierShareTheirSeries() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder a = CacheTelemetry.recorder(kit, "shared");
      CacheRecorder b = CacheTelemetry.recorder(kit, "shared");
      a.hit();
      b.hit();
      assertThat(value(kit, "cache_gets_total", "shared", "", "result", "hit")).isEqualTo(2);
    }
  }

  @Test
  void aFailingSizeCallbackSkipsItsSampleAndNeverFailsTheScrape() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder ok = CacheTelemetry.recorder(kit, "ok");
      CacheRecorder broken = CacheTelemetry.recorder(kit, "broken");
      ok.size(() -> 7);
      broken.size(() -> {
        throw new IllegalStateException("redis unreachable");
      });

      String text = scrape(kit);
      assertThat(Scrapes.value(text, series("cache_size", "ok", ""))).isEqualTo(7);
      assertThat(text).doesNotContain(series("cache_size", "broken", ""));
      assertThat(kit.instrumentationErrors().count("cache")).isEqualTo(1);
    }
  }

  @Test
  void closingTheSizeRegistrationRemovesTheSeries() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder recorder = CacheTelemetry.recorder(kit, "temp");
      Registration size = recorder.size(() -> 3);
      assertThat(value(kit, "cache_size", "temp", "")).isEqualTo(3);
      size.close();
      assertThat(scrape(kit)).doesNotContain(series("cache_size", "temp", ""));
    }
  }

  @Test
  void aNullEvictionCauseIsCountedAsAnInstrumentationErrorNotThrown() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder recorder = CacheTelemetry.recorder(kit, "careless");
      recorder.eviction(null);
      assertThat(kit.instrumentationErrors().count("cache")).isEqualTo(1);
      assertThat(scrape(kit)).contains(InstrumentationErrors.METRIC_NAME + "{component=\"cache\"}");
    }
  }

  @Test
  void factoriesRejectNullAndBlankNamesNamingTheParameter() {
    try (TelemetryKit kit = Kits.start()) {
      assertThatThrownBy(() -> CacheTelemetry.recorder(null, "x"))
          .isInstanceOf(NullPointerException.class).hasMessage("telemetry");
      assertThatThrownBy(() -> CacheTelemetry.recorder(kit, null))
          .isInstanceOf(NullPointerException.class).hasMessage("cache");
      assertThatThrownBy(() -> CacheTelemetry.recorder(kit, " "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache");
      assertThatThrownBy(() -> CacheTelemetry.builder(kit, "x").tier(""))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tier");
      assertThatThrownBy(() -> CacheTelemetry.builder(kit, "x").tier(null))
          .isInstanceOf(NullPointerException.class).hasMessage("tier");
    }
  }

  @Test
  void recorderKnowsItsNameAndTier() {
    try (TelemetryKit kit = Kits.start()) {
      CacheRecorder plain = CacheTelemetry.recorder(kit, "plain");
      CacheRecorder tiered = CacheTelemetry.builder(kit, "products").tier("l2").recorder();
      assertThat(plain.cacheName()).isEqualTo("plain");
      assertThat(plain.tier()).isEmpty();
      assertThat(tiered.tier()).contains("l2");
      assertThat(tiered).hasToString("CacheRecorder[cache=products, tier=l2]");
    }
  }

  @Test
  void scrapeWithTieredAndUntieredCachesPassesPromtool() {
    try (TelemetryKit kit = Kits.start()) {
      new TwoTierCache(kit).get("1");
      CacheRecorder cdn = CacheTelemetry.recorder(kit, "cdn");
      cdn.hit();
      cdn.eviction(EvictionCause.COLLECTED);

      String text = scrape(kit);
      assertThat(text).contains("cache_tier=\"l1\"", "cache_tier=\"l2\"", "cache_tier=\"\"");
      Promtool.Result lint = Promtool.checkMetrics(text);
      assertThat(lint.output).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode).isZero();
    }
  }
}
