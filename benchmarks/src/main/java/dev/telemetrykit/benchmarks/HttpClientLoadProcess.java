package dev.telemetrykit.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.http.HttpTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client side of the HTTP cost measurement: {@code concurrency} threads send GETs through
 * one JDK {@link HttpClient} to a server (a {@code bare} {@link HttpHelloProcess}) for a warm-up,
 * then for a fixed time, and print {@code <requests/s> <client process CPU µs per request>}
 * measured over the fixed time only. Driven by {@code benchmarks/client-cpu.sh}, which runs a
 * {@code bare} and an {@code instrumented} process in adjacent pairs.
 *
 * <p>Modes: {@code bare} (the JDK client as is), {@code instrumented}
 * ({@code HttpTelemetry.wrap}: client metrics and {@code X-Request-ID} propagation, no tracing)
 * and {@code ab}: both clients in this one process (TelemetryKit started, each client with its
 * own connection pool), the same threads sending through the bare client and the instrumented
 * one in alternating phases of the measured length, {@code pairs} pairs after a warm-up of each.
 * It prints one line per pair and the medians of the pairwise ratios instrumented/bare. Fresh
 * client JVMs differ by ±30 % in throughput here (the JDK client's selector and executor
 * threads), far more than the wrapper costs; in one JVM both sides share its layout and luck.
 */
public final class HttpClientLoadProcess {

  private HttpClientLoadProcess() {}

  /**
   * Runs the load.
   *
   * @param args target URL, mode, warm-up seconds, measured seconds, concurrency[, pairs for
   *     {@code ab}]
   */
  public static void main(String[] args) throws Exception {
    URI target = URI.create(args[0]);
    String mode = args[1];
    long warmup = Long.parseLong(args[2]);
    long measured = Long.parseLong(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    if (!mode.equals("bare") && !mode.equals("instrumented") && !mode.equals("ab")) {
      throw new IllegalArgumentException(
          "Unknown mode '" + mode + "': use bare, instrumented or ab");
    }
    HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpClient instrumented = null;
    if (!mode.equals("bare")) {
      TelemetryKit telemetry = TelemetryKit.builder().serviceName("client").metricsPort(0)
          .registry(new PrometheusRegistry()).modules().start();
      HttpClient delegate = mode.equals("ab")
          ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build() : bare;
      instrumented = HttpTelemetry.builder(telemetry).build().wrap(delegate);
    }
    Load load = new Load(HttpRequest.newBuilder(target).GET().build(), concurrency,
        mode.equals("instrumented") ? instrumented : bare);
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    if (!mode.equals("ab")) {
      Thread.sleep(warmup * 1000);
      double[] r = load.measure(os, measured);
      System.out.printf("%.2f %.2f%n", r[0], r[1]);
      System.exit(0);
    }
    int pairs = Integer.parseInt(args[5]);
    for (long w = 0; w < warmup; w += measured) { // both sides warm, in phases as measured
      load.client = bare;
      Thread.sleep(measured * 1000);
      load.client = instrumented;
      Thread.sleep(measured * 1000);
    }
    double[] thr = new double[pairs];
    double[] cpu = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      // Order alternates per pair, so neither side always follows the other.
      boolean bareFirst = i % 2 == 0;
      load.client = bareFirst ? bare : instrumented;
      double[] first = load.measure(os, measured);
      load.client = bareFirst ? instrumented : bare;
      double[] second = load.measure(os, measured);
      double[] a = bareFirst ? first : second;
      double[] b = bareFirst ? second : first;
      thr[i] = b[0] / a[0];
      cpu[i] = b[1] / a[1];
      System.out.printf("%d  %.2f %.2f | %.2f %.2f | %.3f %.3f%n",
          i + 1, a[0], a[1], b[0], b[1], thr[i], cpu[i]);
    }
    System.out.printf("median %.4f %.4f%n", median(thr), median(cpu));
    System.exit(0);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The sending threads; {@link #client} is the one they send through now. */
  private static final class Load {
    final LongAdder done = new LongAdder();
    volatile HttpClient client;

    Load(HttpRequest request, int concurrency, HttpClient first) {
      this.client = first;
      for (int i = 0; i < concurrency; i++) {
        Thread t = new Thread(() -> {
          while (true) {
            try {
              client.send(request, HttpResponse.BodyHandlers.ofByteArray());
              done.increment();
            } catch (Exception e) {
              return; // the run is over (or broken: the request count says so)
            }
          }
        });
        t.setDaemon(true);
        t.start();
      }
    }

    /** {@code {requests/s, process CPU µs per request}} over the next {@code seconds}. */
    double[] measure(OperatingSystemMXBean os, long seconds) throws InterruptedException {
      long n0 = done.sum();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000);
      long n1 = done.sum();
      long cpu1 = os.getProcessCpuTime();
      long t1 = System.nanoTime();
      long requests = n1 - n0;
      return new double[] {requests * 1e9 / (t1 - t0),
          (cpu1 - cpu0) / 1e3 / Math.max(1, requests)};
    }
  }
}
