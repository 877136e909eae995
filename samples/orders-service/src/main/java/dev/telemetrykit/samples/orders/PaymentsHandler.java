package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /payments/charge}: a stand-in payment provider served by the same process, so the
 * instrumented HTTP client and trace propagation have a real peer. Amounts of exactly 13 items
 * fail with 500, which gives the demo its occasional server errors.
 */
final class PaymentsHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentsHandler.class);

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        Http.respond(exchange, 405, Json.error("use POST"));
        return;
      }
      JsonNode charge;
      try {
        charge = Json.parseObject(exchange.getRequestBody());
      } catch (Json.BadRequest e) {
        Http.respond(exchange, 400, Json.error(e.getMessage()));
        return;
      }
      int quantity = charge.path("quantity").asInt();
      if (quantity == 13) {
        LOG.error("Payment provider failure for customer {}", charge.path("customer").asText());
        Http.respond(exchange, 500, Json.error("payment provider unavailable"));
        return;
      }
      LOG.info("Charged customer {} for {} items", charge.path("customer").asText(), quantity);
      Http.respond(exchange, 200, "{\"status\":\"approved\"}");
    }
  }
}
