package dev.telemetrykit.samples.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo-traffic}: a steady mixed load against the service's own port, so every
 * dashboard panel has data: orders created (with a card that must come out redacted), cache
 * hits and misses, 404s, 400s, 429s from a bursting client, occasional 5xx (payment failures)
 * and slow queries, and an N+1 listing ({@code recent=20}). About 40 requests per second from one daemon thread, until the process ends.
 */
final class DemoTraffic implements Runnable {

  /** A Luhn-valid test card number; it must never appear in the service's output. */
  static final String DEMO_CARD = "4111 1111 1111 1111";

  private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
  private static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin"};
  private static final String[] ITEMS = {"keyboard", "mouse", "monitor", "cable", "desk"};

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private long highestId;

  /** 40 steps a second. */
  private static final long STEP_NANOS = 25_000_000L;

  DemoTraffic(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Starts the generator on a daemon thread. */
  static Thread start(int port) {
    Thread t = new Thread(new DemoTraffic(port), "demo-traffic");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    long tick = 0;
    long next = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        step(tick++);
        // One step every 25 ms on average: a slow step is caught up, not added to the period.
        next += STEP_NANOS;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } else if (wait < -1_000_000_000L) {
          next = System.nanoTime(); // far behind (e.g. after a pause): do not burst
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.debug("demo request failed: {}", e.toString());
      }
    }
  }

  private void step(long tick) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    int roll = random.nextInt(100);
    if (tick % 100 == 0) {
      everyRareKindOnce(customer);
    } else if (roll < 20) {   // 8 orders/s: under the free tier's 10/s, so most succeed
      int quantity = random.nextInt(40) == 0 ? 13 : 1 + random.nextInt(5); // 13 fails payment
      HttpResponse<String> r = post("free-" + customer, order(customer, quantity));
      if (r.statusCode() == 201) {
        highestId = Math.max(highestId, Long.parseLong(r.body().replaceAll("\\D", "")));
      }
    } else if (roll < 70) {
      long id = highestId > 0 ? 1 + random.nextLong(highestId) : 1;
      get("/orders/" + id);                                         // mostly hits after warm-up
    } else if (roll < 80) {
      get("/orders/" + (1_000_000 + random.nextInt(1000)));         // 404, cache miss
    } else if (roll < 86) {
      get("/orders?customer=" + customer);
    } else if (roll < 88) {
      get("/orders?customer=" + customer + "&recent=20");           // N+1 on purpose
    } else if (roll < 90) {
      get("/orders?customer=" + customer + "&includeArchived=true"); // slow query
    } else if (roll == 90) {
      get("/orders?customer=" + customer + "&archiveOnly=true");     // failing query: 500
    } else if (roll < 95) {
      post("free-" + customer, "{\"customer\":\"" + customer + "\", \"item\":");  // malformed
    } else {
      post("free-" + customer, "{\"customer\":\"" + customer + "\"}");           // missing fields
    }
  }

  /**
   * The rare events, once every 100 steps (and at the start), so every panel and alert
   * selector has data within seconds: a partner bursting past its limit (429s), a payment
   * failure (5xx), a slow query, a failing query, a 404 and a 400.
   */
  private void everyRareKindOnce(String customer) throws Exception {
    for (int i = 0; i < 30; i++) {
      post("partner-acme", order(customer, 1 + i % 5));
    }
    post("free-" + customer, order(customer, 13));
    get("/orders?customer=" + customer + "&includeArchived=true");
    get("/orders?customer=" + customer + "&archiveOnly=true");
    get("/orders/" + (2_000_000 + ThreadLocalRandom.current().nextInt(1000)));
    post("free-" + customer, "{\"customer\":");
    post(null, order(customer, 1));                                   // 401: no API key
    send("/orders", "free-" + customer, "text/plain", order(customer, 1)); // 415
    get("/wp-login.php");                                             // 404, route _OTHER
    get("/orders?customer=" + customer + "&recent=20");               // N+1 once it has orders
  }

  private static String order(String customer, int quantity) {
    return "{\"customer\":\"" + customer + "\",\"item\":\""
        + ITEMS[ThreadLocalRandom.current().nextInt(ITEMS.length)] + "\",\"quantity\":"
        + quantity + ",\"card\":\"" + DEMO_CARD + "\"}";
  }

  private HttpResponse<String> post(String apiKey, String json) throws Exception {
    return send("/orders", apiKey, "application/json", json);
  }

  private HttpResponse<String> send(String path, String apiKey, String contentType, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void get(String path) throws Exception {
    client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.discarding());
  }
}
