package dev.telemetrykit.http.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Matches a raw request path against registered route templates such as
 * {@code /orders/{id}} or {@code /customers/{id}/orders}, without regular expressions and
 * without allocating: the templates form a trie of path segments; a node's literal children
 * sit in a small open-addressing table keyed by the segment's {@link String#hashCode()}
 * computed over the path region in place, and compared with {@link String#regionMatches}.
 *
 * <p>A segment {@code {name}} matches exactly one non-empty segment. A final segment
 * {@code {name*}} (or {@code *}/{@code **}) matches the rest of the path, including nothing.
 * Literal segments win over parameters, parameters over the rest-of-path wildcard; the
 * matcher backtracks, so {@code /a/b/c} can match {@code /a/{x}/c} when {@code /a/b/d} also
 * exists. One trailing slash is ignored ({@code /orders/} matches {@code /orders}). Immutable
 * and thread-safe.
 */
public final class RouteMatcher {

  private final Node root = new Node();
  private final List<String> templates;

  /**
   * @throws IllegalArgumentException for a template that does not start with {@code /}, has
   *     an empty segment, an unclosed brace or a rest-of-path wildcard before its end
   */
  public RouteMatcher(Collection<String> templates) {
    List<String> list = new ArrayList<>();
    for (String t : templates) {
      Objects.requireNonNull(t, "route template");
      add(t);
      list.add(t);
    }
    this.templates = List.copyOf(list);
    root.freeze();
  }

  /** The templates, in registration order. */
  public List<String> templates() {
    return templates;
  }

  /** The template matching the path (query string excluded), or {@code null}. */
  public String match(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    int end = path.length();
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return match(root, path, 1, end);
  }

  private static String match(Node node, String path, int start, int end) {
    if (start >= end) {
      // Path consumed (the root path "/" ends here too).
      if (node.template != null) {
        return node.template;
      }
      return node.rest;
    }
    int slash = path.indexOf('/', start);
    int segEnd = slash < 0 || slash > end ? end : slash;
    int next = segEnd + 1;
    if (segEnd > start) {
      Node literal = node.literal(path, start, segEnd);
      if (literal != null) {
        String found = matchChild(literal, path, next, segEnd, end);
        if (found != null) {
          return found;
        }
      }
      if (node.param != null) {
        String found = matchChild(node.param, path, next, segEnd, end);
        if (found != null) {
          return found;
        }
      }
    }
    return node.rest;
  }

  private static String matchChild(Node child, String path, int next, int segEnd, int end) {
    if (segEnd >= end) {
      return child.template != null ? child.template : child.rest;
    }
    return match(child, path, next, end);
  }

  private void add(String template) {
    if (template.isEmpty() || template.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "Route template '" + template + "' must start with '/'");
    }
    String body = template.length() > 1 && template.endsWith("/")
        ? template.substring(1, template.length() - 1) : template.substring(1);
    Node node = root;
    if (body.isEmpty()) {
      node.setTemplate(template);
      return;
    }
    String[] segments = body.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.isEmpty()) {
        throw new IllegalArgumentException(
            "Route template '" + template + "' has an empty segment");
      }
      boolean rest = s.equals("*") || s.equals("**")
          || (s.startsWith("{") && s.endsWith("*}"));
      if (rest) {
        if (i != segments.length - 1) {
          throw new IllegalArgumentException("Route template '" + template
              + "': the rest-of-path segment '" + s + "' must be the last one");
        }
        if (node.rest != null && !node.rest.equals(template)) {
          throw new IllegalArgumentException("Route templates '" + node.rest + "' and '"
              + template + "' match the same paths");
        }
        node.rest = template;
        return;
      }
      if (s.startsWith("{")) {
        if (!s.endsWith("}") || s.length() < 3 || s.indexOf('}') != s.length() - 1) {
          throw new IllegalArgumentException("Route template '" + template
              + "': segment '" + s + "' must be a whole parameter like {id}");
        }
        if (node.param == null) {
          node.param = new Node();
        }
        node = node.param;
      } else {
        if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
          throw new IllegalArgumentException("Route template '" + template
              + "': segment '" + s + "' mixes text and a parameter; use a whole segment {name}");
        }
        node = node.literalForAdd(s);
      }
    }
    node.setTemplate(template);
  }

  /** Java's String hash over {@code s[start, end)}, without creating the substring. */
  static int hash(String s, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  private static final class Node {
    String template;
    String rest;
    Node param;
    // Building: a list; frozen: an open-addressing table.
    List<String> literalKeys = new ArrayList<>();
    List<Node> literalNodes = new ArrayList<>();
    String[] keys = new String[0];
    int[] hashes = new int[0];
    Node[] nodes = new Node[0];
    int mask = -1;
    boolean hasLiterals;

    void setTemplate(String t) {
      if (template != null && !template.equals(t)) {
        throw new IllegalArgumentException(
            "Route templates '" + template + "' and '" + t + "' match the same paths");
      }
      template = t;
    }

    Node literalForAdd(String key) {
      int i = literalKeys.indexOf(key);
      if (i >= 0) {
        return literalNodes.get(i);
      }
      Node n = new Node();
      literalKeys.add(key);
      literalNodes.add(n);
      return n;
    }

    void freeze() {
      int size = 2;
      while (size < literalKeys.size() * 2) {
        size <<= 1;
      }
      keys = new String[size];
      hashes = new int[size];
      nodes = new Node[size];
      mask = size - 1;
      hasLiterals = !literalKeys.isEmpty();
      for (int i = 0; i < literalKeys.size(); i++) {
        String k = literalKeys.get(i);
        int h = k.hashCode();
        int slot = spread(h) & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = k;
        hashes[slot] = h;
        nodes[slot] = literalNodes.get(i);
        literalNodes.get(i).freeze();
      }
      if (param != null) {
        param.freeze();
      }
      literalKeys = null;
      literalNodes = null;
    }

    Node literal(String path, int start, int end) {
      if (!hasLiterals) {
        return null;
      }
      int len = end - start;
      int h = hash(path, start, end);
      int slot = spread(h) & mask;
      String k;
      while ((k = keys[slot]) != null) {
        if (hashes[slot] == h && k.length() == len && path.regionMatches(start, k, 0, len)) {
          return nodes[slot];
        }
        slot = (slot + 1) & mask;
      }
      return null;
    }

    private static int spread(int h) {
      return h ^ (h >>> 16);
    }
  }
}
