package dev.telemetrykit.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The value scanner reads a char array copy of each text (so the log encoder scans and writes
 * one array); its findings must be exactly those of the String scanner it replaced, kept as
 * {@link ReferenceStringScanner}. Texts are built from fragments that start or almost start
 * every detector, plus characters whose case folding reaches ASCII letters.
 */
class ScannerEquivalenceTest {

  private static final String[] FRAGMENTS = {
      "Bearer ", "bearer  ", "BASIC ", "basic", "Basıc ", "BEARER", "bearer", "eyJ", "eyJhbGciOiJIUzI1NiJ9",
      ".", "..", "AKIA", "ASIA", "IOSFODNN7EXAMPLE", "-----BEGIN ", "RSA ", "PRIVATE KEY", "-----END ",
      "-----", "-", "password", "passwd", "token", "api_key", "Authorization", "=", ":", " : ",
      "://", "user", "@", "example.com", "jane.doe", "sk_live_", "sk_test_", "sk-", "ghp_", "gho_",
      "github_pat_", "glpat-", "xoxb-", "xoxp-", "rk_live_", "rk_test_", "gho", "e", "A", "B", "s", "4111", "1111", "5500", "0000", "0004",
      "4111111111111111", "12345", "3f1c2a9e", " ", "  ", "\"", "'", "\\\"", "\\", "{", "}", "[", "]",
      "\n", ",", ";", "&", "?", "/", "abcdefghij", "ABCDEFGHIJKLMNOP", "0123456789", "_", "+", "~",
      "İ", "ı", "\u212A", "é", "ß", "\u00FF", "Ärger", "x", "Q", "9"};

  @Test
  void theArrayScannerFindsExactlyWhatTheStringScannerFound() {
    Random random = new Random(20261205L);
    for (boolean emails : new boolean[] {false, true}) {
      KeyMatcher keys = KeyMatcher.withExtraKeys(List.of("customer_ssn"));
      ValueScanner scanner = new ValueScanner(keys, emails);
      ReferenceStringScanner reference = new ReferenceStringScanner(keys, emails);
      for (int t = 0; t < 30_000; t++) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + random.nextInt(t % 10 == 0 ? 60 : 12);
        for (int p = 0; p < parts; p++) {
          sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        String text = sb.toString();
        assertThat(findings(scanner, text)).as("%s (emails %s)", text, emails)
            .isEqualTo(findings(reference, text));
      }
    }
  }

  /**
   * The scanner skips text shaped as an ID (lower-case hex with a letter or under 13 digits, or
   * a canonical lower-case UUID); the reference scanner, which has no such shortcut, must find
   * nothing in any of them, also where every group is made of digits, so the skip can hide no
   * secret. Near misses (13+ digits, upper case, a moved dash, cards) go through the detectors
   * and must be found as the reference finds them.
   */
  @Test
  void idShapedTextHoldsNothingAnyDetectorFinds() {
    Random random = new Random(20261205L);
    KeyMatcher keys = KeyMatcher.withExtraKeys(List.of());
    for (boolean emails : new boolean[] {false, true}) {
      ValueScanner scanner = new ValueScanner(keys, emails);
      ReferenceStringScanner reference = new ReferenceStringScanner(keys, emails);
      int shaped = 0;
      for (int t = 0; t < 40_000; t++) {
        // Mostly digits, so cards and digit chains are tried as hard as possible.
        double digitShare = random.nextInt(4) == 0 ? 1.0 : 0.6 + 0.4 * random.nextDouble();
        String text;
        switch (t % 4) {
          case 0:
            text = hex(random, 1 + random.nextInt(ValueScanner.MAX_ID), digitShare);
            break;
          case 1:
            text = hex(random, 8, digitShare) + "-" + hex(random, 4, digitShare) + "-"
                + hex(random, 4, digitShare) + "-" + hex(random, 4, digitShare) + "-"
                + hex(random, 12, digitShare);
            break;
          case 2: // a near miss: one character changed to something else
            char[] c = hex(random, 36, digitShare).toCharArray();
            c[random.nextInt(c.length)] = "-ABF 9_=".charAt(random.nextInt(8));
            text = new String(c);
            break;
          default: // cards and long digit runs, grouped or not
            text = random.nextBoolean() ? "4111111111111111" : "5500-0000-0000-0004";
            text = random.nextBoolean() ? text : hex(random, 13 + random.nextInt(7), 1.0);
            break;
        }
        char[] chars = text.toCharArray();
        if (ValueScanner.idShaped(chars, chars.length)) {
          shaped++;
          assertThat(findings(reference, text)).as(text).isEmpty();
        }
        assertThat(findings(scanner, text)).as("%s (emails %s)", text, emails)
            .isEqualTo(findings(reference, text));
      }
      assertThat(shaped).as("ID-shaped texts generated").isGreaterThan(15_000);
    }
    assertThat(ValueScanner.idShaped("4111111111111111".toCharArray(), 16)).isFalse();
    assertThat(ValueScanner.idShaped("4bf92f3577b34da6a3ce929d0e0e4736".toCharArray(), 32))
        .isTrue();
    assertThat(ValueScanner.idShaped("01".toCharArray(), 2)).isTrue();
  }

  private static String hex(Random random, int length, double digitShare) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(random.nextDouble() < digitShare
          ? (char) ('0' + random.nextInt(10)) : (char) ('a' + random.nextInt(6)));
    }
    return sb.toString();
  }

  /**
   * One buffer for every text, as an encoder thread has: its cache of key verdicts then sees
   * keys repeat across texts, and must give the verdicts the reference computes afresh.
   */
  private static final RedactionBuffer SCRATCH = new RedactionBuffer();

  private static List<Long> findings(ValueScanner scanner, String text) {
    List<Long> out = new ArrayList<>();
    // A larger array than the text, as the encoder's reused buffer is.
    char[] chars = new char[text.length() + 7];
    text.getChars(0, text.length(), chars, 0);
    long f = scanner.next(chars, text.length(), 0, SCRATCH);
    while (f != ValueScanner.NONE) {
      out.add(f);
      int end = ValueScanner.end(f);
      f = end >= text.length() ? ValueScanner.NONE
          : scanner.next(chars, text.length(), end, SCRATCH);
    }
    return out;
  }

  private static List<Long> findings(ReferenceStringScanner scanner, String text) {
    List<Long> out = new ArrayList<>();
    long f = scanner.next(text, 0);
    while (f != ReferenceStringScanner.NONE) {
      out.add(f);
      int end = ReferenceStringScanner.end(f);
      f = end >= text.length() ? ReferenceStringScanner.NONE : scanner.next(text, end);
    }
    return out;
  }

  @Test
  void wholeNumbersAreCardsExactlyWhenTheirDigitsWere() {
    Random random = new Random(42);
    List<Long> values = new ArrayList<>(List.of(4111111111111111L, 4222222222222L,
        5500000000000004L, 999_999_999_999L, 1_000_000_000_000L, Long.MAX_VALUE, 0L, -1L,
        6011000990139424L, 7111111111111111L, 1234567890123456789L));
    for (int i = 0; i < 20_000; i++) {
      values.add(random.nextLong() >>> random.nextInt(24));
    }
    for (long v : values) {
      assertThat(ValueScanner.isCardNumber(v)).as("%d", v)
          .isEqualTo(ReferenceStringScanner.isCardNumber(v));
    }
  }
}
