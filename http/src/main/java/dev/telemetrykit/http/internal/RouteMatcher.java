package dev.telemetrykit.http.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Matches a raw request path against registered route templates such as
 * {@code /orders/{id}} or {@code /customers/{id}/orders}, without regular expressions and
 * without allocating: the templates form a trie of path segments; a node's literal children
 * sit in a small open-addressing table keyed by the segment's {@link String#hashCode()}
 * computed over the path region in place, and compared character by character.
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
  /** Distinct templates, by the index {@link #matchIndex} returns. */
  private final String[] byIndex;

  /**
   * @throws IllegalArgumentException for a template that does not start with {@code /}, has
   *     an empty segment, an unclosed brace or a rest-of-path wildcard before its end
   */
  public RouteMatcher(Collection<String> templates) {
    List<String> distinct = new ArrayList<>();
    for (String t : templates) {
      Objects.requireNonNull(t, "route template");
      add(t, distinct);
    }
    this.byIndex = distinct.toArray(new String[0]);
    root.freeze();
  }

  /** How many distinct templates there are: {@link #matchIndex} answers below this. */
  public int size() {
    return byIndex.length;
  }

  /** The template of an index {@link #matchIndex} returned. */
  public String template(int index) {
    return byIndex[index];
  }

  /** The template matching the path (query string excluded), or {@code null}. */
  public String match(String path) {
    int i = matchIndex(path);
    return i < 0 ? null : byIndex[i];
  }

  /**
   * {@link #match} as the template's index ({@link #template(int)}), or -1 when none matches:
   * for callers that keep something per template in an array, with no hash lookup by name.
   */
  public int matchIndex(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return -1;
    }
    int end = path.length();
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return match(root, path, 1, end);
  }

  private static int match(Node node, String path, int start, int end) {
    if (start >= end) {
      // Path consumed (the root path "/" ends here too).
      if (node.templateIndex >= 0) {
        return node.templateIndex;
      }
      return node.restIndex;
    }
    int slash = path.indexOf('/', start);
    int segEnd = slash < 0 || slash > end ? end : slash;
    int next = segEnd + 1;
    if (segEnd > start) {
      Node literal = node.literal(path, start, segEnd);
      if (literal != null) {
        int found = matchChild(literal, path, next, segEnd, end);
        if (found >= 0) {
          return found;
        }
      }
      if (node.param != null) {
        int found = matchChild(node.param, path, next, segEnd, end);
        if (found >= 0) {
          return found;
        }
      }
    }
    return node.restIndex;
  }

  private static int matchChild(Node child, String path, int next, int segEnd, int end) {
    if (segEnd >= end) {
      return child.templateIndex >= 0 ? child.templateIndex : child.restIndex;
    }
    return match(child, path, next, end);
  }

  /**
   * The index of {@code template} in {@code distinct} (added at the end when new), for a trie
   * slot that holds {@code current}: refused when the slot already holds another template.
   */
  private static int claim(int current, String template, List<String> distinct) {
    int index = distinct.indexOf(template);
    if (index < 0) {
      distinct.add(template);
      index = distinct.size() - 1;
    }
    if (current >= 0 && current != index) {
      throw new IllegalArgumentException("Route templates '" + distinct.get(current) + "' and '"
          + template + "' match the same paths");
    }
    return index;
  }

  private void add(String template, List<String> distinct) {
    if (template.isEmpty() || template.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "Route template '" + template + "' must start with '/'");
    }
    String body = template.length() > 1 && template.endsWith("/")
        ? template.substring(1, template.length() - 1) : template.substring(1);
    Node node = root;
    if (body.isEmpty()) {
      node.templateIndex = claim(node.templateIndex, template, distinct);
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
        node.restIndex = claim(node.restIndex, template, distinct);
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
    node.templateIndex = claim(node.templateIndex, template, distinct);
  }

  /** Java's String hash over {@code s[start, end)}, without creating the substring. */
  static int hash(String s, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  /**
   * A trie node. Its literal children sit in an open-addressing table of the children
   * themselves, each holding its segment's hash and characters: a lookup reads the table and
   * the child (a few cache lines), not parallel key, hash and node arrays and a String.
   */
  private static final class Node {
    int templateIndex = -1;
    int restIndex = -1;
    Node param;
    /** This node's segment, when it is a literal child: its hash and characters. */
    int keyHash;
    char[] key;
    // Building: a list; frozen: an open-addressing table.
    List<Node> literals = new ArrayList<>();
    Node[] table = new Node[0];
    int mask = -1;
    boolean hasLiterals;

    Node literalForAdd(String segment) {
      char[] chars = segment.toCharArray();
      for (Node n : literals) {
        if (Arrays.equals(n.key, chars)) {
          return n;
        }
      }
      Node n = new Node();
      n.key = chars;
      n.keyHash = segment.hashCode();
      literals.add(n);
      return n;
    }

    void freeze() {
      int size = 2;
      while (size < literals.size() * 2) {
        size <<= 1;
      }
      table = new Node[size];
      mask = size - 1;
      hasLiterals = !literals.isEmpty();
      for (Node n : literals) {
        int slot = spread(n.keyHash) & mask;
        while (table[slot] != null) {
          slot = (slot + 1) & mask;
        }
        table[slot] = n;
        n.freeze();
      }
      if (param != null) {
        param.freeze();
      }
      literals = null;
    }

    Node literal(String path, int start, int end) {
      if (!hasLiterals) {
        return null;
      }
      int h = hash(path, start, end);
      int slot = spread(h) & mask;
      Node n;
      while ((n = table[slot]) != null) {
        if (n.keyHash == h && n.keyEquals(path, start, end)) {
          return n;
        }
        slot = (slot + 1) & mask;
      }
      return null;
    }

    private boolean keyEquals(String path, int start, int end) {
      char[] k = key;
      if (k.length != end - start) {
        return false;
      }
      for (int i = 0; i < k.length; i++) {
        if (path.charAt(start + i) != k[i]) {
          return false;
        }
      }
      return true;
    }

    private static int spread(int h) {
      return h ^ (h >>> 16);
    }
  }
}
