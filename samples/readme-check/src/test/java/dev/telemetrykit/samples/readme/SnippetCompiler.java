package dev.telemetrykit.samples.readme;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Compiles {@link Snippets.Source}s in process and reports errors at their Markdown lines. */
final class SnippetCompiler {

  private SnippetCompiler() {}

  /**
   * Compiles {@code sources} against {@code classPath} into a temporary folder.
   *
   * @return one message per error, {@code README.md:42: cannot find symbol ...}; empty if none
   */
  static List<String> errors(List<Snippets.Source> sources, String classPath) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Map<URI, Snippets.Source> byUri = new HashMap<>();
    List<JavaFileObject> files = new ArrayList<>();
    for (Snippets.Source source : sources) {
      JavaFileObject file = new SimpleJavaFileObject(
          URI.create("string:///" + source.className() + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source.text();
        }
      };
      byUri.put(file.toUri(), source);
      files.add(file);
    }
    Path out = Files.createTempDirectory("snippets");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter log = new StringWriter();
    javac.getTask(log, null, diagnostics,
        List.of("-proc:none", "-Xlint:none", "-nowarn", "--release", "17", "-d", out.toString(),
            "-classpath", classPath), null, files).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Snippets.Source source = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
      String where = source == null ? "?" : source.locate(d.getLineNumber());
      errors.add(where + ": " + d.getMessage(Locale.ROOT));
    }
    return errors;
  }
}
