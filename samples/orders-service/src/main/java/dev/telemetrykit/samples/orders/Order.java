package dev.telemetrykit.samples.orders;

/** An accepted order. The card number is never stored. */
public record Order(long id, String customer, String item, int quantity) {

  /** JSON form used by the API. */
  public String toJson() {
    return "{\"id\":" + id + ",\"customer\":" + Json.quote(customer) + ",\"item\":"
        + Json.quote(item) + ",\"quantity\":" + quantity + "}";
  }
}
