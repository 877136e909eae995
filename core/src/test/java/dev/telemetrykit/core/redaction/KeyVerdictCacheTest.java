package dev.telemetrykit.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key matcher keeps its last verdicts in the caller's {@link RedactionBuffer}; a cached
 * verdict must always be the one the rules give, whichever keys share a slot and whichever
 * matcher used the buffer last.
 */
class KeyVerdictCacheTest {

  private static boolean sensitive(KeyMatcher keys, String key, RedactionBuffer scratch) {
    char[] chars = ("  " + key + "  ").toCharArray();
    return keys.isSensitive(chars, 2, 2 + key.length(), scratch);
  }

  @Test
  void cachedVerdictsMatchTheRulesForManyKeysSharingSlots() {
    KeyMatcher keys = KeyMatcher.withExtraKeys(List.of());
    RedactionBuffer scratch = new RedactionBuffer();
    // Far more keys than slots, so slots are overwritten; each asked twice in a row and again
    // after the others, so hits, misses and replacements all occur.
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 500; i++) {
        String plain = "order_" + i;
        String secret = "x" + i + "_token";
        for (int repeat = 0; repeat < 2; repeat++) {
          assertThat(sensitive(keys, plain, scratch)).as(plain).isFalse();
          assertThat(sensitive(keys, secret, scratch)).as(secret).isTrue();
          assertThat(sensitive(keys, "Pass-Word", scratch)).isTrue();
          assertThat(sensitive(keys, "pas", scratch)).isFalse();
          assertThat(sensitive(keys, "", scratch)).isFalse();
        }
      }
    }
  }

  @Test
  void anotherMatcherOnTheSameBufferGetsItsOwnVerdicts() {
    KeyMatcher defaults = KeyMatcher.withExtraKeys(List.of());
    KeyMatcher withTenant = KeyMatcher.withExtraKeys(List.of("tenant"));
    RedactionBuffer scratch = new RedactionBuffer();
    assertThat(sensitive(defaults, "tenant", scratch)).isFalse();
    assertThat(sensitive(withTenant, "tenant", scratch)).isTrue();
    assertThat(sensitive(defaults, "tenant", scratch)).isFalse();
    assertThat(sensitive(withTenant, "TENANT", scratch)).isTrue();
  }

  @Test
  void longKeysAreJudgedWithoutTheCache() {
    KeyMatcher keys = KeyMatcher.withExtraKeys(List.of());
    RedactionBuffer scratch = new RedactionBuffer();
    String longPlain = "a".repeat(KeyMatcher.MAX_KEY + 5);
    String longSecret = "a".repeat(KeyMatcher.MAX_KEY + 5) + "password";
    assertThat(sensitive(keys, longPlain, scratch)).isFalse();
    assertThat(sensitive(keys, longSecret, scratch)).isTrue();
    assertThat(sensitive(keys, "b".repeat(200) + "secret", scratch)).isTrue();
  }
}
