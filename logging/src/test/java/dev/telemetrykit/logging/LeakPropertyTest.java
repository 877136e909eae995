package dev.telemetrykit.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.internal.LoggingState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

  /** A secret as it appears in free text, and the part of it that must never be printed. */
  record Secret(String kind, String text, String needle) {
    @Override
    public String toString() {
      return kind + ": " + text;
    }
  }

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

  private static Arbitrary<String> alnum(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').ofMinLength(min).ofMaxLength(max)
        .filter(s -> s.chars().anyMatch(Character::isDigit));
  }

  private static Arbitrary<String> upperAlnum(int length) {
    return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(length);
  }

  private static Arbitrary<String> b64url(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars("-_").ofMinLength(min).ofMaxLength(max);
  }

  @Provide
  Arbitrary<Secret> secrets() {
    Arbitrary<Secret> bearer = alnum(16, 40).map(t -> new Secret("bearer", "Bearer " + t, t));
    Arbitrary<Secret> basic = Combinators.combine(alnum(3, 12), alnum(8, 20)).as((u, p) -> {
      String b64 = Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
      return new Secret("basic", "Authorization: Basic " + b64, b64);
    });
    Arbitrary<Secret> jwt = Combinators.combine(b64url(10, 40), b64url(10, 80), b64url(10, 43))
        .as((h, p, s) -> {
          String token = "eyJ" + h + "." + "eyJ" + p + "." + s;
          return new Secret("jwt", token, token);
        });
    Arbitrary<Secret> aws = Arbitraries.of("AKIA", "ASIA").flatMap(prefix -> upperAlnum(16)
        .map(rest -> new Secret("aws", prefix + rest, prefix + rest)));
    Arbitrary<Secret> awsSecret = alnum(40, 40).map(k ->
        new Secret("aws-secret", "aws_secret_access_key=" + k, k));
    Arbitrary<Secret> pem = alnum(64, 64).map(body -> new Secret("pem",
        "-----BEGIN PRIVATE KEY-----\n" + body + "\n" + body + "\n-----END PRIVATE KEY-----", body));
    Arbitrary<Secret> prefixed = Combinators.combine(
        Arbitraries.of("sk_live_", "sk_test_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-"),
        alnum(24, 40)).as((p, t) -> new Secret("token", p + t, p + t));
    Arbitrary<Secret> card = Combinators.combine(
        Arbitraries.of("4", "51", "55", "37", "6011"), Arbitraries.strings().numeric().ofLength(18),
        Arbitraries.of(13, 15, 16, 19), Arbitraries.of("", " ", "-")).as(LeakPropertyTest::card);
    Arbitrary<Secret> keyValue = Combinators.combine(
        Arbitraries.of("password", "client_secret", "accessToken", "X-Api-Key", "private_key",
            "refresh-token", "authorization", "PASSWD", "id_token"),
        Arbitraries.of("=", ": ", "\":\"", "='"), alnum(10, 24))
        .as((k, sep, v) -> new Secret("key-value", k + sep + v + (sep.contains("'") ? "'" : ""), v));
    Arbitrary<Secret> url = Combinators.combine(alnum(3, 10), alnum(10, 24)).as((u, p) ->
        new Secret("url", "jdbc:postgresql://" + u + ":" + p + "@db.internal:5432/app", p));
    return Arbitraries.oneOf(bearer, basic, jwt, aws, awsSecret, pem, prefixed, card, keyValue, url);
  }

  private static Secret card(String prefix, String random, int length, String separator) {
    StringBuilder digits = new StringBuilder(prefix).append(random);
    digits.setLength(length - 1);
    int sum = 0;
    boolean dbl = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    digits.append((10 - sum % 10) % 10);
    String plain = digits.toString();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < plain.length(); i++) {
      if (i > 0 && i % 4 == 0 && !separator.isEmpty()) {
        text.append(separator);
      }
      text.append(plain.charAt(i));
    }
    return new Secret("card", text.toString(), plain);
  }
}
