package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.logging.internal.LoggingState;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** Every MDC key is written, redacted by key and value; excluded keys are not. */
class MdcTest {

  private final JsonLogCapture capture = JsonLogCapture.start();
  private final Logger log = capture.logger("orders.Service");

  @AfterEach
  void tearDown() {
    capture.close();
    MDC.clear();
    LoggingState.apply(Settings.of(Map.of()));
  }

  @Test
  void aUserMdcKeyAppearsRedactedAndAnExcludedOneDoesNot() {
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.MDC_EXCLUDE, "internal_flag, noise")));
    MDC.put("tenant", "acme");
    MDC.put("user.session_token", "tok-secret-1");
    MDC.put("upstream", "AKIAIOSFODNN7EXAMPLE");
    MDC.put("internal_flag", "x");
    MDC.put("message", "forged message");
    MDC.put("correlation_id", "c-1");
    log.info("hello");
    JsonNode line = capture.single();
    assertThat(line.get("tenant").asText()).isEqualTo("acme");
    assertThat(line.get("user.session_token").asText()).isEqualTo("****");
    assertThat(line.get("upstream").asText()).isEqualTo("****");
    assertThat(line.get("correlation_id").asText()).isEqualTo("c-1");
    assertThat(line.has("internal_flag")).isFalse();
    assertThat(line.get("message").asText()).isEqualTo("hello");
    assertThat(capture.text()).doesNotContain("tok-secret-1").doesNotContain("AKIA")
        .doesNotContain("forged");
  }

  @Test
  void anExcludedKeyThatIsWrittenFirstByDefaultIsLeftOutToo() {
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.MDC_EXCLUDE, "correlation_id")));
    MDC.put("correlation_id", "c-1");
    MDC.put("tenant", "acme");
    log.info("hello");
    JsonNode line = capture.single();
    assertThat(line.has("correlation_id")).isFalse();
    assertThat(line.get("tenant").asText()).isEqualTo("acme");
  }

  @Test
  void aSecretPutUnderATraceFieldNameIsScannedLikeAnyValue() {
    String line;
    String card;
    try (DirectEncoder encoder = new DirectEncoder()) {
      line = encoder.encode(Map.of("trace_id", "password=hunter2",
          "span_id", "00f067aa0ba902b7", "trace_flags", "01", "correlation_id",
          "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f"));
      // A card number is lower-case hex too (digits only): it must not pass as an ID.
      card = encoder.encode(Map.of("span_id", "4111111111111111"));
    }
    assertThat(line).doesNotContain("hunter2").contains("\"trace_id\":\"password=****\"")
        .contains("\"span_id\":\"00f067aa0ba902b7\"").contains("\"trace_flags\":\"01\"")
        .contains("\"correlation_id\":\"3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f\"");
    assertThat(card).doesNotContain("4111111111111111").contains("\"span_id\":\"****\"");
  }

  /**
   * The encoder skips re-scanning an MDC value it wrote unmasked on an earlier line when it is
   * the very same String object at the same position, and writes a masked one masked again
   * with its findings counted again; a new object or changed redaction settings are scanned
   * again.
   */
  @Test
  void aRepeatedMdcValueSkipsTheScanOnlyWhileItIsTheSameObjectUnderTheSameSettings() {
    String email = new String("ada@example.com");
    String secret = new String("AKIAIOSFODNN7EXAMPLE");
    try (DirectEncoder encoder = new DirectEncoder()) {
      Function<Map<String, String>, String> encode = encoder::encode;
      LoggingState.apply(Settings.of(Map.of("TELEMETRYKIT_REDACT_EMAILS", "false")));
      assertThat(encode.apply(Map.of("user", email))).contains("\"user\":\"ada@example.com\"");
      assertThat(encode.apply(Map.of("user", email))).contains("\"user\":\"ada@example.com\"");

      // Same object, new settings: scanned again.
      LoggingState.apply(Settings.of(Map.of("TELEMETRYKIT_REDACT_EMAILS", "true")));
      assertThat(encode.apply(Map.of("user", email))).doesNotContain("ada@example.com")
          .contains("\"user\":\"****\"");

      // A new object at a position that was clean: scanned.
      LoggingState.apply(Settings.of(Map.of()));
      assertThat(encode.apply(Map.of("user", "u-1"))).contains("\"user\":\"u-1\"");
      assertThat(encode.apply(Map.of("user", secret))).doesNotContain("AKIA");
      // A masked value is written masked again, and its finding counted again.
      List<RedactionRule> counted = new CopyOnWriteArrayList<>();
      LoggingState.redactor().countInto((signal, rule) -> counted.add(rule));
      assertThat(encode.apply(Map.of("user", secret))).doesNotContain("AKIA")
          .contains("\"user\":\"****\"");
      assertThat(counted).containsExactly(RedactionRule.AWS_ACCESS_KEY);
      LoggingState.redactor().countInto(Redactor.Counts.NONE);
      // The same clean object under a key that names a secret: the key masks it.
      String plain = new String("plain-value");
      assertThat(encode.apply(Map.of("tenant", plain))).contains("plain-value");
      assertThat(encode.apply(Map.of("api_token", plain))).doesNotContain("plain-value");
    }
  }

  @Test
  void theOldAllowListOnlyOrdersKeysNow() {
    LoggingState.apply(Settings.of(Map.of(TelemetryLogging.MDC_KEYS, "zeta,alpha")));
    MDC.put("alpha", "a");
    MDC.put("zeta", "z");
    MDC.put("other", "o");
    log.info("hello");
    JsonNode line = capture.single();
    assertThat(line.get("other").asText()).isEqualTo("o");
    Iterator<String> names = line.fieldNames();
    int zeta = -1;
    int alpha = -1;
    for (int i = 0; names.hasNext(); i++) {
      String n = names.next();
      zeta = n.equals("zeta") ? i : zeta;
      alpha = n.equals("alpha") ? i : alpha;
    }
    assertThat(zeta).isLessThan(alpha);
  }

  @Test
  void unicodeLineSeparatorsAreEscapedSoEverySplitterSeesOneLine() {
    MDC.put("note", "a\u2028b");
    log.info("one\u2029two\u0085three é");
    String raw = capture.text();
    assertThat(raw).doesNotContain("\u2028").doesNotContain("\u2029").doesNotContain("\u0085");
    assertThat(raw).contains("one\\u2029two\\u0085three é").contains("a\\u2028b");
    JsonNode line = capture.single();
    assertThat(line.get("message").asText()).isEqualTo("one\u2029two\u0085three é");
    assertThat(line.get("note").asText()).isEqualTo("a\u2028b");
  }

  /**
   * The JSON encoder used directly, one event per call, on a context of its own: TelemetryKit's
   * turbo filter would replace trace MDC entries, but the encoder also runs in configurations
   * without it (a user's own logback.xml).
   */
  private static final class DirectEncoder implements AutoCloseable {
    private final LoggerContext context = new LoggerContext();
    private final TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();

    DirectEncoder() {
      encoder.setContext(context);
      encoder.start();
    }

    String encode(Map<String, String> mdc) {
      LoggingEvent event = new LoggingEvent(ch.qos.logback.classic.Logger.class.getName(),
          context.getLogger("orders.Service"), Level.INFO, "hello", null, null);
      event.setMDCPropertyMap(mdc);
      return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      encoder.stop();
    }
  }
}
