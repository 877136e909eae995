package dev.telemetrykit.samples.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the vector selectors in a PromQL expression, without a full parser: a small lexer that
 * skips strings, numbers, durations, range brackets, function and aggregation names, grouping
 * label lists ({@code by (...)}, {@code on (...)}, ...) and keywords.
 *
 * <pre>{@code
 * PromQl.selectors("sum by (le) (rate(x_bucket{job=\"a\"}[5m])) / sum(rate(y_total[5m]))");
 * // [x_bucket{job="a"}, y_total]
 * }</pre>
 *
 * <p>Good enough for the rules and dashboards shipped here (checked against promtool's parser in
 * the tests); not a general PromQL tool: it does not understand {@code @} modifiers or subqueries'
 * step syntax beyond skipping brackets.
 */
public final class PromQl {

  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
      "group_left", "group_right", "atan2", "inf", "nan",
      "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
      "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private PromQl() {}

  /**
   * The vector selectors of {@code expr} in order of appearance, duplicates removed, each as
   * {@code name{matchers}} (or {@code name} / {@code {matchers}}), without range or offset.
   */
  public static List<String> selectors(String expr) {
    Objects.requireNonNull(expr, "expr");
    Set<String> out = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '#') {
        int nl = expr.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.'
            || ((expr.charAt(i) == '+' || expr.charAt(i) == '-')
                && (expr.charAt(i - 1) == 'e' || expr.charAt(i - 1) == 'E')))) {
          i++;
        }
      } else if (c == '{') {
        int end = skipTo(expr, i, '}');
        out.add(normalise(expr.substring(i, end)));
        i = end;
      } else if (isIdentStart(c)) {
        int start = i;
        while (i < n && isIdentPart(expr.charAt(i))) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        if (LABEL_LIST_KEYWORDS.contains(word.toLowerCase())) {
          if (next < n && expr.charAt(next) == '(') {
            i = skipTo(expr, next, ')');
          }
        } else if (KEYWORDS.contains(word.toLowerCase())) {
          // operator or aggregation: nothing to record
        } else if (next < n && expr.charAt(next) == '(') {
          // function call: its arguments are lexed as we go
        } else if (next < n && expr.charAt(next) == '{') {
          int end = skipTo(expr, next, '}');
          out.add(word + normalise(expr.substring(next, end)));
          i = end;
        } else {
          out.add(word);
        }
      } else {
        i++;
      }
    }
    return new ArrayList<>(out);
  }

  /** The metric name of a selector from {@link #selectors}, or {@code null} if it has none. */
  public static String metricName(String selector) {
    Objects.requireNonNull(selector, "selector");
    int brace = selector.indexOf('{');
    String name = brace < 0 ? selector : selector.substring(0, brace);
    if (!name.isEmpty()) {
      return name;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"").matcher(selector);
    return m.find() ? m.group(1) : null;
  }

  private static String normalise(String braces) {
    return braces.replaceAll("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", "");
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i++);
    while (i < s.length() && s.charAt(i) != quote) {
      if (s.charAt(i) == '\\' && quote != '`') {
        i++;
      }
      i++;
    }
    return Math.min(i + 1, s.length());
  }

  /** Index just past the {@code close} that balances the opener at {@code i}, strings skipped. */
  private static int skipTo(String s, int i, char close) {
    char open = s.charAt(i);
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unbalanced '" + open + "' in: " + s);
  }
}
