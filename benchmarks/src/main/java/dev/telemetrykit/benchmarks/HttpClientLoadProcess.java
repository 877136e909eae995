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
import java.util.concurrent.atomic.LongAdder;

/**
 * The client side of the HTTP cost measurement: {@code concurrency} threads send GETs through
 * one JDK {@link HttpClient} to a server (a {@code bare} {@link HttpHelloProcess}) for a warm-up,
 * then for a fixed time, and print {@code <requests/s> <client process CPU µs per request>}
 * measured over the fixed time only. Driven by {@code benchmarks/client-cpu.sh}, which runs a
 * {@code bare} and an {@code instrumented} process in adjacent pairs.
 *
 * <p>Modes: {@code bare} (the JDK client as is) and {@code instrumented}
 * ({@code HttpTelemetry.wrap}: client metrics and {@code X-Request-ID} propagation, no tracing).
 */
public final class HttpClientLoadProcess {

  private HttpClientLoadProcess() {}

  /**
   * Runs the load.
   *
   * @param args target URL, mode, warm-up seconds, measured seconds, concurrency
   */
  public static void main(String[] args) throws Exception {
    URI target = URI.create(args[0]);
    String mode = args[1];
    long warmup = Long.parseLong(args[2]);
    long measured = Long.parseLong(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    if (mode.equals("instrumented")) {
      TelemetryKit telemetry = TelemetryKit.builder().serviceName("client").metricsPort(0)
          .registry(new PrometheusRegistry()).modules().start();
      client = HttpTelemetry.builder(telemetry).build().wrap(client);
    } else if (!mode.equals("bare")) {
      throw new IllegalArgumentException("Unknown mode '" + mode + "': use bare or instrumented");
    }
    HttpRequest request = HttpRequest.newBuilder(target).GET().build();
    LongAdder done = new LongAdder();
    HttpClient shared = client;
    for (int i = 0; i < concurrency; i++) {
      Thread t = new Thread(() -> {
        while (true) {
          try {
            shared.send(request, HttpResponse.BodyHandlers.ofByteArray());
            done.increment();
          } catch (Exception e) {
            return; // the run is over (or broken: the request count says so)
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(warmup * 1000);
    long n0 = done.sum();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(measured * 1000);
    long n1 = done.sum();
    long cpu1 = os.getProcessCpuTime();
    long t1 = System.nanoTime();
    long requests = n1 - n0;
    System.out.printf("%.2f %.2f%n", requests * 1e9 / (t1 - t0),
        (cpu1 - cpu0) / 1e3 / Math.max(1, requests));
    System.exit(0);
  }
}
