package dev.telemetrykit.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InFlightTest {

  @Test
  void countsAcrossThreadsAndStripes() throws Exception {
    InFlight inFlight = new InFlight();
    int threads = 40; // more threads than stripes: some share one
    CountDownLatch begun = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          inFlight.inc();
          inFlight.dec();
        }
        inFlight.inc();
        begun.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inFlight.dec();
      });
      workers.add(w);
      w.start();
    }
    begun.await();
    assertThat(inFlight.get()).isEqualTo(threads);
    release.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(inFlight.get()).isZero();
  }

  @Test
  void aRequestMayEndOnAnotherThread() throws Exception {
    InFlight inFlight = new InFlight();
    inFlight.inc();
    assertThat(inFlight.get()).isEqualTo(1);
    Thread other = new Thread(inFlight::dec);
    other.start();
    other.join();
    assertThat(inFlight.get()).isZero();
  }

  @Test
  void aTotalThatSeesTheEndBeforeTheBeginningIsZeroNotNegative() throws Exception {
    InFlight inFlight = new InFlight();
    Thread ender = new Thread(inFlight::dec);
    ender.start();
    ender.join();
    assertThat(inFlight.get()).isZero();
    inFlight.inc();
    assertThat(inFlight.get()).isZero();
  }
}
