package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The sample's JSON needs: parse a request body, quote a string, join objects. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses a JSON object; throws {@link BadRequest} for anything else. */
  static JsonNode parseObject(InputStream body) {
    try {
      JsonNode node = MAPPER.readTree(body.readNBytes(64 * 1024));
      if (node == null || !node.isObject()) {
        throw new BadRequest("body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new BadRequest("malformed JSON");
    }
  }

  static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String array(List<String> jsonObjects) {
    return "[" + String.join(",", jsonObjects) + "]";
  }

  static String error(String message) {
    return "{\"error\":" + quote(message) + "}";
  }

  /** A client error, answered with 400 and a JSON message. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
