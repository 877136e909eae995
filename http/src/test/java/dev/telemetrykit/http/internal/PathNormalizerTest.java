package dev.telemetrykit.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathNormalizerTest {

  @Test
  void replacesIdentifierSegments() {
    assertThat(PathNormalizer.normalize("/orders/12345")).isEqualTo("/orders/{id}");
    assertThat(PathNormalizer.normalize("/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301/cart"))
        .isEqualTo("/users/{id}/cart");
    assertThat(PathNormalizer.normalize("/blobs/9f86d081884c7d65")).isEqualTo("/blobs/{id}");
    assertThat(PathNormalizer.normalize("/t/dGhpcyBpcyBhIHRva2Vu1-_x/2"))
        .isEqualTo("/t/{id}/{id}");
  }

  @Test
  void keepsWordsAndShortTokens() {
    assertThat(PathNormalizer.normalize("/api/v2/orders")).isEqualTo("/api/v2/orders");
    assertThat(PathNormalizer.normalize("/internationalization")).isEqualTo(
        "/internationalization");
    assertThat(PathNormalizer.normalize("/abc123")).isEqualTo("/abc123");
  }

  @Test
  void returnsTheSameInstanceWhenNothingChanges() {
    String path = "/health/ready";
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
  }

  @Test
  void keepsTrailingSlashesAndCapsLength() {
    assertThat(PathNormalizer.normalize("/orders/1/")).isEqualTo("/orders/{id}/");
    assertThat(PathNormalizer.normalize("/" + "a/".repeat(500))).hasSize(256);
    assertThat(PathNormalizer.normalize("")).isEqualTo("/");
  }
}
