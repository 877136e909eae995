package dev.telemetrykit.samples.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the payments endpoint over a real, instrumented JDK HttpClient. */
final class PaymentsClient {

  private final HttpClient client;
  private final URI chargeUri;

  PaymentsClient(HttpClient client, URI chargeUri) {
    this.client = client;
    this.chargeUri = chargeUri;
  }

  /** True when the charge was approved. */
  boolean charge(String customer, int quantity) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(chargeUri)
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"customer\":" + Json.quote(customer) + ",\"quantity\":" + quantity + "}"))
        .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while charging", e);
    }
  }
}
