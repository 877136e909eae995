package dev.telemetrykit.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatcherTest {

  private final RouteMatcher matcher = new RouteMatcher(List.of(
      "/", "/orders", "/orders/{id}", "/orders/{id}/items/{item}", "/orders/search",
      "/customers/{id}/orders", "/a/b/d", "/a/{x}/c", "/static/{path*}"));

  @Test
  void matchesLiteralAndParameterSegments() {
    assertThat(matcher.match("/")).isEqualTo("/");
    assertThat(matcher.match("/orders")).isEqualTo("/orders");
    assertThat(matcher.match("/orders/42")).isEqualTo("/orders/{id}");
    assertThat(matcher.match("/orders/42/items/7")).isEqualTo("/orders/{id}/items/{item}");
    assertThat(matcher.match("/customers/c-1/orders")).isEqualTo("/customers/{id}/orders");
  }

  @Test
  void literalSegmentsWinOverParameters() {
    assertThat(matcher.match("/orders/search")).isEqualTo("/orders/search");
  }

  @Test
  void backtracksFromALiteralToAParameter() {
    assertThat(matcher.match("/a/b/d")).isEqualTo("/a/b/d");
    assertThat(matcher.match("/a/b/c")).isEqualTo("/a/{x}/c");
  }

  @Test
  void ignoresOneTrailingSlash() {
    assertThat(matcher.match("/orders/42/")).isEqualTo("/orders/{id}");
  }

  @Test
  void restOfPathWildcardMatchesAnyDepthIncludingNone() {
    assertThat(matcher.match("/static/css/site.css")).isEqualTo("/static/{path*}");
    assertThat(matcher.match("/static")).isEqualTo("/static/{path*}");
  }

  @Test
  void indexesNameEachDistinctTemplateOnce() {
    RouteMatcher twice = new RouteMatcher(List.of("/orders/{id}", "/health", "/orders/{id}"));
    assertThat(twice.size()).isEqualTo(2);
    assertThat(twice.template(twice.matchIndex("/orders/7"))).isEqualTo("/orders/{id}");
    assertThat(twice.template(twice.matchIndex("/health"))).isEqualTo("/health");
    assertThat(twice.matchIndex("/nope")).isEqualTo(-1);
    assertThat(twice.matchIndex("relative")).isEqualTo(-1);
    for (String path : List.of("/", "/orders/42", "/a/b/c", "/static/x/y", "/orders/search")) {
      assertThat(matcher.template(matcher.matchIndex(path))).isEqualTo(matcher.match(path));
    }
  }

  @Test
  void unmatchedPathsReturnNull() {
    assertThat(matcher.match("/nope")).isNull();
    assertThat(matcher.match("/orders/42/items")).isNull();
    assertThat(matcher.match("/orders//items/1")).isNull();
    assertThat(matcher.match("/customers/1/orders/2")).isNull();
    assertThat(matcher.match("")).isNull();
    assertThat(matcher.match("relative")).isNull();
  }

  @Test
  void manyLiteralSiblingsAreAllFound() {
    List<String> templates = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      templates.add("/api/v" + i + "/things/{id}");
    }
    RouteMatcher big = new RouteMatcher(templates);
    for (int i = 0; i < 500; i++) {
      assertThat(big.match("/api/v" + i + "/things/x")).isEqualTo("/api/v" + i + "/things/{id}");
    }
    assertThat(big.match("/api/v500/things/x")).isNull();
  }

  @Test
  void rejectsMalformedTemplatesAtRegistration() {
    assertThatThrownBy(() -> new RouteMatcher(List.of("orders")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> new RouteMatcher(List.of("/orders//x")))
        .hasMessageContaining("empty segment");
    assertThatThrownBy(() -> new RouteMatcher(List.of("/orders/{id")))
        .hasMessageContaining("whole parameter");
    assertThatThrownBy(() -> new RouteMatcher(List.of("/orders/id-{id}")))
        .hasMessageContaining("mixes text");
    assertThatThrownBy(() -> new RouteMatcher(List.of("/static/{p*}/x")))
        .hasMessageContaining("must be the last one");
    assertThatThrownBy(() -> new RouteMatcher(List.of("/o/{id}", "/o/{key}")))
        .hasMessageContaining("match the same paths");
  }
}
