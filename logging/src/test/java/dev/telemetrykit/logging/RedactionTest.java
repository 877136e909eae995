package dev.telemetrykit.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.internal.LoggingState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

class RedactionTest {

  private final JsonLogCapture capture = JsonLogCapture.start();
  private final Logger log = capture.logger("orders.Service");

  @AfterEach
  void tearDown() {
    capture.close();
    MDC.clear();
    LoggingState.apply(Settings.of(Map.of()));
  }

  private String message(String text) {
    capture.reset();
    log.info(text);
    return capture.single().get("message").asText();
  }

  @Test
  void masksEachBuiltInSecretKindInsideFreeText() {
    assertThat(message("auth header Bearer eyJhbGciOiJIUzI1NiJ9x.abcdefghijkl.sig0123456789 sent"))
        .isEqualTo("auth header Bearer **** sent");
    assertThat(message("Authorization: Basic dXNlcjpodW50ZXIy"))
        .isEqualTo("Authorization: ****");
    assertThat(message("basic dXNlcjpodW50ZXIy")).isEqualTo("basic ****");
    assertThat(message("jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz end"))
        .isEqualTo("jwt=**** end");
    assertThat(message("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key **** used");
    assertThat(message("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok"))
        .isEqualTo("aws_secret_access_key=**** ok");
    assertThat(message("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc, github ghp_abcdefghijklmnopqrstuvwxyz0123456789"
        + " slack xoxb-123456789012-abcdefABCDEF"))
        .isEqualTo("stripe ****, github **** slack ****");
    assertThat(message("card 4111 1111 1111 1111 and 5500-0000-0000-0004 and 378282246310005"))
        .isEqualTo("card **** and **** and ****");
    assertThat(message("{\"user\":\"bob\",\"password\":\"hunter2 with space\",\"cvv\":\"123\"}"))
        .isEqualTo("{\"user\":\"bob\",\"password\":\"****\",\"cvv\":\"****\"}");
    assertThat(message("db=postgres://app:s3cr3t@db.internal:5432/orders"))
        .isEqualTo("db=postgres://app:****@db.internal:5432/orders");
    assertThat(message("login user=bob passwd=hunter2; apiKey: abc123 x-api-key=zzz&next=1"))
        .isEqualTo("login user=bob passwd=****; apiKey: **** x-api-key=****&next=1");
    assertThat(message("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nAbCd\n"
        + "-----END RSA PRIVATE KEY-----\ndone"))
        .isEqualTo("key:\n****\ndone");
  }

  @Test
  void emailsAreKeptByDefaultAndMaskedWhenEnabled() {
    assertThat(message("mail bob@example.com")).isEqualTo("mail bob@example.com");
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.REDACT_EMAILS, "true")));
    assertThat(message("mail bob@example.com.")).isEqualTo("mail ****.");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "request 123e4567-e89b-12d3-a456-426614174000 done",
      "all-digit uuid 12345678-1234-1234-1234-123456789012",
      "at 2024-06-10T12:34:56.789+02:00 and 2024-06-10 12:34:56,789",
      "epoch 1718000000000 nanos 1718000000000000000",
      "order ORD-20240610-000123 and #4111111111111112",
      "id 1234567890123456 ref 9999999999999999",
      "version 1.5.38, 2.18.3-rc1, v10.2.0+build.7",
      "phone +1 415 555 2671, ip 192.168.10.1:8080",
      "took 1234 ms at com.example.Foo.bar(Foo.java:42)",
      "password policy updated; basic plan; bearer of bad news",
      "token_count=42 tokens=17 passwordless login",
      "http://example.com:8080/path?x=1 and mailto:bob@example.com"
  })
  void leavesOrdinaryValuesAlone(String text) {
    assertThat(message(text)).isEqualTo(text);
  }

  @Test
  void masksValuesBehindSensitiveKeysInEveryStructuredChannel() {
    MDC.put("user_note", "x");
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.MDC_KEYS, "user_note,sessionToken")));
    MDC.put("sessionToken", "mdc-secret-1");
    log.atInfo()
        .addMarker(Markers.append("client_secret", "marker-secret-2")
            .and(Markers.appendEntries(Map.of("Access-Token", "entries-secret-3", "ok", 1)))
            .and(Markers.appendRaw("raw", "{\"nested\":{\"PASSWORD\":\"raw-secret-4\",\"n\":[1,2]}}")))
        .addKeyValue("refreshToken", "fluent-secret-5")
        .addArgument("plain")
        .addArgument(Sensitive.of("wrapped-secret-8"))
        .addArgument(kv("api_key", "kv-secret-6"))
        .addArgument(kv("order", new TreeMap<>(Map.of("cvv", 123, "items", List.of("a", "b")))))
        .addArgument(kv("set-cookie", List.of("cookie-secret-7")))
        .log("structured {} {} {} {} {} and more");
    String text = capture.text();
    for (int i = 1; i <= 8; i++) {
      assertThat(text).doesNotContain("secret-" + i);
    }
    JsonNode line = capture.single();
    assertThat(line.get("sessionToken").asText()).isEqualTo("****");
    assertThat(line.get("client_secret").asText()).isEqualTo("****");
    assertThat(line.get("Access-Token").asText()).isEqualTo("****");
    assertThat(line.get("ok").asInt()).isEqualTo(1);
    assertThat(line.at("/raw/nested/PASSWORD").asText()).isEqualTo("****");
    assertThat(line.at("/raw/nested/n/1").asInt()).isEqualTo(2);
    assertThat(line.get("refreshToken").asText()).isEqualTo("****");
    assertThat(line.get("api_key").asText()).isEqualTo("****");
    assertThat(line.at("/order/cvv").asText()).isEqualTo("****");
    assertThat(line.at("/order/items/0").asText()).isEqualTo("a");
    assertThat(line.get("set-cookie").asText()).isEqualTo("****");
    assertThat(line.get("message").asText())
        .isEqualTo("structured plain **** api_key=**** order={cvv=****, items=[a, b]}"
            + " set-cookie=**** and more");
  }

  @Test
  void masksRawJsonThatDoesNotParseWhole() {
    log.info(Markers.appendRaw("payload", "{\"a\": hunter2-not-json"), "raw");
    assertThat(capture.single().get("payload").asText()).isEqualTo("****");
  }

  @Test
  void masksCardNumbersWrittenAsJsonNumbers() {
    log.info("numbers {} {} {} {}", kv("amount", 4111111111111111L),
        kv("big", new BigDecimal("5500000000000004")), kv("qty", 12), kv("id", 1234567890123456L));
    JsonNode line = capture.single();
    assertThat(line.get("amount").asText()).isEqualTo("****");
    assertThat(line.get("big").asText()).isEqualTo("****");
    assertThat(line.get("qty").asInt()).isEqualTo(12);
    assertThat(line.get("id").asLong()).isEqualTo(1234567890123456L);
  }

  @Test
  void sensitiveWrapperPrintsTheMaskEverywhere() {
    Sensitive<String> pw = Sensitive.of("hunter2-sensitive");
    assertThat(pw.toString()).isEqualTo("****");
    assertThat(pw.reveal()).isEqualTo("hunter2-sensitive");
    log.info("login {} {}", pw, kv("credentials", Map.of("value", pw)));
    assertThat(capture.text()).doesNotContain("hunter2");
  }

  @Test
  void masksSecretsAcrossTheWholeExceptionChain() {
    RuntimeException cause = new IllegalStateException("cause with Bearer abcdef0123456789xyz");
    RuntimeException top = new RuntimeException("connect postgres://u:pw-top-secret@h/db", cause);
    top.addSuppressed(new IllegalArgumentException("suppressed token=suppressed-secret"));
    log.error("failed", top);
    String stack = capture.single().get("stack_trace").asText();
    assertThat(stack).contains("Caused by: java.lang.IllegalStateException: cause with Bearer ****")
        .contains("connect postgres://u:****@h/db")
        .contains("Suppressed: java.lang.IllegalArgumentException: suppressed token=****")
        .doesNotContain("abcdef0123456789xyz").doesNotContain("pw-top-secret")
        .doesNotContain("suppressed-secret");
  }

  @Test
  void anotherThrowableConverterGetsTheWholeStackTraceScanned() {
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setThrowableConverter(new net.logstash.logback.stacktrace.ShortenedThrowableConverter());
    encoder.setContext(new ch.qos.logback.classic.LoggerContext());
    encoder.start();
    ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
        "fqcn", log, ch.qos.logback.classic.Level.ERROR, "boom",
        new RuntimeException("password=converter-secret"), null);
    event.setMDCPropertyMap(Map.of());
    String line = new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8);
    encoder.stop();
    assertThat(line).contains("password=****").doesNotContain("converter-secret");
  }

  @Test
  void extraKeysPatternsAndMaskComeFromSettings() {
    LoggingState.apply(Settings.of(Map.of(
        TelemetryLogging.REDACT_KEYS, "customer_ssn, pin",
        TelemetryLogging.REDACT_PATTERN, "EMP-\\d{6}",
        TelemetryLogging.REDACT_MASK, "[redacted]")));
    log.info("employee EMP-123456 pin=4321 {}", kv("customerSsn", "078-05-1120"));
    JsonNode line = capture.single();
    assertThat(line.get("message").asText())
        .isEqualTo("employee [redacted] pin=[redacted] customerSsn=[redacted]");
    assertThat(line.get("customerSsn").asText()).isEqualTo("[redacted]");
  }

  @Test
  void lineBreaksInMessagesMdcKeysAndArgumentsNeverStartASecondLine() {
    MDC.put("correlation_id", "abc\r\n{\"level\":\"ERROR\",\"message\":\"forged\"}");
    log.atWarn().addKeyValue("evil\nkey", "v\r\nw")
        .log("first\r\n{\"level\":\"ERROR\"}\nthird {}", "arg\n\rarg");
    byte[] bytes = capture.bytes();
    int newlines = 0;
    for (byte b : bytes) {
      if (b == '\n' || b == '\r') {
        newlines++;
      }
    }
    assertThat(newlines).isEqualTo(1);
    JsonNode line = capture.single();
    assertThat(line.get("message").asText())
        .isEqualTo("first\r\n{\"level\":\"ERROR\"}\nthird arg\n\rarg");
    assertThat(line.get("correlation_id").asText()).startsWith("abc\r\n");
    assertThat(line.get("evil\nkey").asText()).isEqualTo("v\r\nw");
    assertThat(line.get("level").asText()).isEqualTo("WARN");
  }
}
