package dev.telemetrykit.samples.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the {@code ```java} blocks of a Markdown file into Java source files that a compiler can
 * check, each mapped back to the Markdown line it came from.
 *
 * <p>The rules, which the READMEs follow:
 * <ul>
 *   <li>Every {@code ```java} block is compiled, unless its fence says {@code ```java no-compile}
 *       (for code that needs a framework the project does not depend on, e.g. Spring Boot).
 *   <li>A block starts with the imports of every type it names, as a newcomer would paste it.
 *   <li>A block whose first code line declares a member ({@code public static void main(...)},
 *       a method, a field, a nested type) is placed in a class as members; any other block is
 *       placed in the body of a method {@code void snippet() throws Exception}.
 *   <li>Names a snippet uses but does not declare (the {@code handler} of your server, your
 *       {@code Product} type) come from an HTML comment right above the fence, invisible on the
 *       rendered page: {@code <!-- snippet-context ... -->}. Its text is placed in the class as
 *       members and names types fully qualified, so it never supplies an import the snippet
 *       forgot.
 * </ul>
 */
public final class Snippets {

  private static final String CONTEXT_START = "<!-- snippet-context";
  private static final Pattern IMPORT = Pattern.compile("^import( static)? [\\w.]+(\\.\\*)?;\\s*$");
  private static final Pattern MEMBER = Pattern.compile(
      "^(@\\w+|(public|protected|private|static|final|abstract|record|class|interface|enum)\\b"
          + "|[\\w<>\\[\\], ?]+\\s+\\w+\\s*\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{\\s*$)");

  private Snippets() {}

  /** One compilable source made from one block. */
  public record Source(String className, String text, String markdown, int[] markdownLines) {

    /** The Markdown location ({@code README.md:42}) of a 1-based line of {@link #text}. */
    public String locate(long line) {
      int i = (int) line - 1;
      int md = i >= 0 && i < markdownLines.length ? markdownLines[i] : 0;
      return markdown + ":" + (md > 0 ? md : "?");
    }
  }

  /**
   * The blocks of {@code file} as sources in package {@code pkg}.
   *
   * @param label how the file is named in class names and messages, e.g. {@code http/README.md}
   */
  public static List<Source> extract(Path file, String label, String pkg) throws IOException {
    return extract(Files.readAllLines(file), label, pkg);
  }

  /** As {@link #extract(Path, String, String)}, from the file's lines. */
  public static List<Source> extract(List<String> lines, String label, String pkg) {
    List<Source> sources = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).trim();
      if (!fence.startsWith("```java")) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).trim().startsWith("```")) {
        end++;
      }
      if (end == lines.size()) {
        throw new IllegalArgumentException(label + ":" + (i + 1) + ": unclosed ```java block");
      }
      boolean skip = fence.substring("```java".length()).trim().startsWith("no-compile");
      if (!skip) {
        n++;
        sources.add(build(lines, label, pkg, n, context(lines, i), i + 1, end));
      }
      i = end;
    }
    return sources;
  }

  /** The context comment's lines (0-based indexes) right above the fence at {@code fence}. */
  private static int[] context(List<String> lines, int fence) {
    int close = fence - 1;
    while (close >= 0 && lines.get(close).isBlank()) {
      close--;
    }
    if (close < 0 || !lines.get(close).trim().endsWith("-->")) {
      return new int[0];
    }
    int open = close;
    while (open >= 0 && !lines.get(open).trim().startsWith("<!--")) {
      open--;
    }
    if (open < 0 || !lines.get(open).trim().startsWith(CONTEXT_START)) {
      return new int[0];
    }
    return new int[] {open, close};
  }

  private static Source build(List<String> md, String label, String pkg, int n, int[] context,
      int first, int end) {
    String className = className(label, n);
    StringBuilder out = new StringBuilder();
    List<Integer> map = new ArrayList<>();
    line(out, map, "package " + pkg + ";", 0);
    int body = first;
    while (body < end && (md.get(body).isBlank() || IMPORT.matcher(md.get(body)).matches())) {
      line(out, map, md.get(body), body + 1);
      body++;
    }
    line(out, map, "", 0);
    line(out, map, "@SuppressWarnings(\"all\")", 0);
    line(out, map, "class " + className + " {", 0);
    if (context.length == 2) {
      for (int i = context[0]; i <= context[1]; i++) {
        String text = md.get(i);
        if (i == context[0]) {
          text = text.substring(text.indexOf(CONTEXT_START) + CONTEXT_START.length());
        }
        if (i == context[1]) {
          text = text.substring(0, text.lastIndexOf("-->"));
        }
        line(out, map, text, i + 1);
      }
    }
    boolean members = false;
    for (int i = body; i < end; i++) {
      String code = md.get(i);
      if (!code.isBlank() && !code.trim().startsWith("//")) {
        members = MEMBER.matcher(code).find();
        break;
      }
    }
    if (!members) {
      line(out, map, "void snippet() throws Exception {", 0);
    }
    for (int i = body; i < end; i++) {
      line(out, map, md.get(i), i + 1);
    }
    if (!members) {
      line(out, map, "}", 0);
    }
    line(out, map, "}", 0);
    int[] lines = map.stream().mapToInt(Integer::intValue).toArray();
    return new Source(className, out.toString(), label, lines);
  }

  private static void line(StringBuilder out, List<Integer> map, String text, int mdLine) {
    out.append(text).append('\n');
    map.add(mdLine);
  }

  /** {@code http/README.md}, 2 → {@code Http_Readme_2}. */
  static String className(String label, int n) {
    StringBuilder b = new StringBuilder();
    boolean upper = true;
    for (char c : label.replace(".md", "").toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      } else {
        if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
          b.append('_');
        }
        upper = true;
      }
    }
    if (b.length() == 0 || !Character.isLetter(b.charAt(0))) {
      b.insert(0, 'S');
    }
    return b.append('_').append(n).toString();
  }
}
