package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.telemetrykit.core.meter.GuardedCounter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders API: {@code POST /orders}, {@code GET /orders/{id}} (through a cache) and
 * {@code GET /orders?customer=X}; {@code GET /orders?customer=X&recent=N} loads a customer's
 * last N orders one query per order — the N+1 pattern, on purpose, so the jdbc module's
 * repeated-query detection has something to report.
 */
final class OrdersHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OrdersHandler.class);

  private final OrderStore store;
  private final Cache<Long, Order> cache;
  private final ApiRateLimiters limiters;
  private final PaymentsClient payments;
  private final OutboxPublisher outbox;
  private final CounterDataPoint ordersCreated;
  private final GuardedCounter ordersByCustomer;

  OrdersHandler(OrderStore store, Cache<Long, Order> cache, ApiRateLimiters limiters,
      PaymentsClient payments, OutboxPublisher outbox, CounterDataPoint ordersCreated,
      GuardedCounter ordersByCustomer) {
    this.store = store;
    this.cache = cache;
    this.limiters = limiters;
    this.payments = payments;
    this.outbox = outbox;
    this.ordersCreated = ordersCreated;
    this.ordersByCustomer = ordersByCustomer;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      try {
        if (path.equals("/orders") && method.equals("POST")) {
          create(exchange);
        } else if (path.equals("/orders") && method.equals("GET")) {
          list(exchange);
        } else if (path.startsWith("/orders/") && method.equals("GET")) {
          get(exchange, path.substring("/orders/".length()));
        } else {
          Http.respond(exchange, 404, Json.error("no such resource"));
        }
      } catch (Json.BadRequest e) {
        Http.respond(exchange, 400, Json.error(e.getMessage()));
      } catch (SQLException e) {
        LOG.error("Database error on {} {}", method, path, e);
        Http.respond(exchange, 500, Json.error("database error"));
      }
    }
  }

  private void create(HttpExchange exchange) throws IOException, SQLException {
    String apiKey = exchange.getRequestHeaders().getFirst("X-API-Key");
    if (apiKey == null || apiKey.isBlank()) {
      Http.respond(exchange, 401, Json.error("X-API-Key header required"));
      return;
    }
    if (!isJson(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      Http.respond(exchange, 415, Json.error("Content-Type must be application/json"));
      return;
    }
    if (!limiters.tryAcquire(apiKey)) {
      Http.respond(exchange, 429, Json.error("rate limit exceeded, retry later"));
      return;
    }
    JsonNode body = Json.parseObject(exchange.getRequestBody());
    String customer = text(body, "customer", 100);
    String item = text(body, "item", 100);
    String card = text(body, "card", 40);
    JsonNode quantityNode = body.get("quantity");
    // isIntegralNumber: canConvertToInt alone accepts 1.5 (and would store 1).
    if (quantityNode == null || !quantityNode.isIntegralNumber() || !quantityNode.canConvertToInt()
        || quantityNode.asInt() < 1
        || quantityNode.asInt() > 1000) {
      throw new Json.BadRequest("quantity must be a whole number from 1 to 1000");
    }
    int quantity = quantityNode.asInt();

    if (!payments.charge(customer, quantity)) {
      Http.respond(exchange, 502, Json.error("payment failed"));
      return;
    }
    long id = store.insert(customer, item, quantity);
    ordersCreated.inc();
    ordersByCustomer.labelValues(customer).inc();
    // The card is logged on purpose: the logging module must redact it.
    LOG.info("Order {} accepted for customer {}: {} x {}, paid with card {}", id, customer,
        quantity, item, card);
    outbox.publish(new OrderStore.OutboxEvent(id,
        "{\"type\":\"order_created\",\"order\":" + new Order(id, customer, item, quantity).toJson()
            + "}"));
    Http.respond(exchange, 201, "{\"id\":" + id + "}");
  }

  /** {@code application/json}, with or without parameters such as {@code charset}. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private void get(HttpExchange exchange, String idText) throws IOException {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw new Json.BadRequest("order id must be a number");
    }
    Order order = cache.get(id, key -> {
      try {
        return store.find(key).orElse(null);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    if (order == null) {
      Http.respond(exchange, 404, Json.error("order " + id + " not found"));
    } else {
      Http.respond(exchange, 200, order.toJson());
    }
  }

  private void list(HttpExchange exchange) throws IOException, SQLException {
    Map<String, String> query = Http.query(exchange);
    String customer = query.get("customer");
    if (customer == null || customer.isBlank()) {
      throw new Json.BadRequest("query parameter customer is required");
    }
    String recent = query.get("recent");
    if (recent != null) {
      listRecentOneByOne(exchange, customer, recent);
      return;
    }
    boolean archived = Boolean.parseBoolean(query.getOrDefault("includeArchived", "false"));
    boolean archiveOnly = Boolean.parseBoolean(query.getOrDefault("archiveOnly", "false"));
    List<String> json = new ArrayList<>();
    List<Order> orders = archiveOnly ? store.archivedByCustomer(customer)
        : store.byCustomer(customer, archived);
    for (Order o : orders) {
      json.add(o.toJson());
    }
    Http.respond(exchange, 200, Json.array(json));
  }

  /**
   * N+1 on purpose: one query for the ids, then one query per order (a join, or one
   * {@code WHERE id IN (...)}, would be the fix). Reported as {@code db_client_repeated_queries_total}
   * and one WARN line per request once a request runs the per-order query 10 times.
   */
  private void listRecentOneByOne(HttpExchange exchange, String customer, String recent)
      throws IOException, SQLException {
    int limit;
    try {
      limit = Integer.parseInt(recent);
    } catch (NumberFormatException e) {
      throw new Json.BadRequest("recent must be a number from 1 to 100");
    }
    if (limit < 1 || limit > 100) {
      throw new Json.BadRequest("recent must be a number from 1 to 100");
    }
    List<String> json = new ArrayList<>();
    for (long id : store.recentIds(customer, limit)) {
      store.find(id).ifPresent(o -> json.add(o.toJson()));
    }
    Http.respond(exchange, 200, Json.array(json));
  }

  private static String text(JsonNode body, String field, int maxLength) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new Json.BadRequest(field + " is required");
    }
    if (node.asText().length() > maxLength) {
      throw new Json.BadRequest(field + " is longer than " + maxLength + " characters");
    }
    return node.asText();
  }
}
