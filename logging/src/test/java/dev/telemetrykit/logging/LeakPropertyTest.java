package dev.telemetrykit.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.internal.LoggingState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.telemetrykit.core.testing.SecretArbitraries;
import dev.telemetrykit.core.testing.SecretArbitraries.Secret;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.logstash.logback.marker.Markers;
import org.slf4j.MDC;

/**
 * Generated secrets of every kind, sent through every channel a log line has, never appear in
 * the encoded bytes, and every line stays one valid JSON object.
 */
class LeakPropertyTest {

  /** An object whose toString and JSON form carry the secret in a nested field. */
  public static final class Order {
    private final String note;

    Order(String note) {
      this.note = note;
    }

    public String getNote() {
      return note;
    }

    public List<String> getTags() {
      return List.of("vip", note);
    }

    @Override
    public String toString() {
      return "Order{note=" + note + ", items=[" + note + "]}";
    }
  }

  private JsonLogCapture capture;

  @BeforeProperty
  void start() {
    capture = JsonLogCapture.start();
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.MDC_KEYS, "user_note,session_secret")));
  }

  @AfterProperty
  void stop() {
    capture.close();
    MDC.clear();
    LoggingState.apply(Settings.of(Map.of()));
  }

  @Property(tries = 150)
  void secretsNeverReachTheEncodedBytes(@ForAll("secrets") Secret secret,
      @ForAll("passwords") String password) {
    capture.reset();
    Logger log = capture.logger("leak.Test");
    String text = "note " + secret.text() + " end";
    int lines = 0;

    log.info("placeholder {}", text);
    log.info("kv {} {}", kv("note", text), kv("password", password));
    log.atInfo().addKeyValue("note", text).addKeyValue("api_key", password).log("fluent");
    lines += 3;

    MDC.put("correlation_id", text);
    MDC.put("user_note", text);
    MDC.put("session_secret", password);
    log.info("with mdc");
    MDC.clear();
    lines++;

    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("note", text);
    entries.put("clientSecret", password);
    log.info(Markers.append("note", text).and(Markers.append("token", password))
        .and(Markers.appendEntries(entries))
        .and(Markers.appendRaw("raw", "{\"note\":" + quote(text) + ",\"a\":[" + quote(text)
            + "],\"password\":" + quote(password) + "}"))
        .and(Markers.appendRaw("broken", "{\"note\": " + text)), "markers");
    lines++;

    log.info("object {} {}", new Order(text), kv("order", new Order(text)));
    log.info("array {}", kv("items", new String[] {"a", text}));
    log.info("json in a string {}", "{\"password\":\"" + password + "\",\"note\":" + quote(text) + "}");
    log.info("key=value {}", "password=" + password + "&passwd: " + password);
    lines += 4;

    if (secret.kind().equals("card")) {
      long digits = Long.parseLong(secret.needle());
      log.info("number {}", kv("amount", digits));
      lines++;
    }

    RuntimeException cause = new IllegalStateException("cause " + text);
    RuntimeException top = new RuntimeException("top " + text + " password=" + password, cause);
    top.addSuppressed(new IllegalArgumentException("suppressed " + text));
    log.error("failed {}", text, top);
    lines++;

    byte[] bytes = capture.bytes();
    String out = new String(bytes, StandardCharsets.UTF_8);
    assertThat(out).doesNotContain(secret.needle()).doesNotContain(password);
    List<JsonNode> parsed = capture.lines();
    assertThat(parsed).hasSize(lines);
    int newlines = 0;
    for (byte b : bytes) {
      if (b == '\n' || b == '\r') {
        newlines++;
      }
    }
    assertThat(newlines).isEqualTo(lines);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  @Provide
  Arbitrary<String> passwords() {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars("!#%*+/?^~").ofMinLength(12).ofMaxLength(32)
        .filter(s -> s.chars().anyMatch(Character::isDigit));
  }

  /** The secrets of every detector kind (e-mails off), shared with the other leak tests. */
  @Provide
  Arbitrary<Secret> secrets() {
    return SecretArbitraries.secrets(false);
  }
}
