package dev.telemetrykit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Caffeine is {@code provided}: the generic recorder must work when it is absent. */
class WithoutCaffeineTest {

  /** Runs inside a class loader that cannot see Caffeine. */
  public static final class Probe implements Callable<String> {
    @Override
    public String call() {
      try (dev.telemetrykit.core.TelemetryKit kit = Kits.start()) {
        CacheRecorder recorder = CacheTelemetry.recorder(kit, "no-caffeine");
        recorder.hit();
        recorder.size(() -> 1);
        return Kits.scrape(kit);
      }
    }
  }

  @Test
  void recorderWorksWithoutCaffeineOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("caffeine")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> isolated.loadClass("com.github.benmanes.caffeine.cache.Caffeine"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> probe = isolated.loadClass(Probe.class.getName());
      assertThat(probe.getClassLoader()).isSameAs(isolated);

      @SuppressWarnings("unchecked")
      Callable<String> run = (Callable<String>) probe.getDeclaredConstructor().newInstance();
      String scrape = run.call();

      assertThat(scrape).contains(
          "cache_gets_total{cache=\"no-caffeine\",cache_tier=\"\",result=\"hit\"} 1.0",
          "cache_size{cache=\"no-caffeine\",cache_tier=\"\"} 1.0");
    }
  }
}
