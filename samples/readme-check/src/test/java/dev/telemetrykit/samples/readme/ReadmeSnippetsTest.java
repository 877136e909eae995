package dev.telemetrykit.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' Java snippets compile. Two checks: every snippet compiled here, in process,
 * against the modules (fast, with errors at README lines); and a consumer project written to
 * {@code target/it/readme-consumer} whose pom is the README's quick-start XML plus the
 * supported-versions table, which the invoker plugin builds in {@code integration-test} against
 * the artifacts installed in a throw-away local repository — as a new user would.
 */
class ReadmeSnippetsTest {

  static final Path ROOT = locateRoot();
  static final Path CONSUMER = Path.of("target", "it", "readme-consumer");

  private static Path locateRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bom").resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root (with bom/pom.xml) not found");
    }
    return dir;
  }

  /** README.md and every module's and sample's README, as {@code label -> path}. */
  static List<Path> readmes() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.walk(ROOT, 3)) {
      s.filter(p -> p.getFileName().toString().equals("README.md"))
          .filter(p -> !p.equals(ROOT.resolve("README.md")))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
          .sorted()
          .forEach(files::add);
    }
    return files;
  }

  static List<Snippets.Source> allSnippets() throws IOException {
    List<Snippets.Source> sources = new ArrayList<>();
    for (Path readme : readmes()) {
      sources.addAll(Snippets.extract(readme, ROOT.relativize(readme).toString(), "snippets"));
    }
    return sources;
  }

  @Test
  void everyReadmeSnippetCompilesAgainstTheModules() throws IOException {
    List<Snippets.Source> sources = allSnippets();
    assertThat(sources).as("snippets found").hasSizeGreaterThan(20);
    assertThat(SnippetCompiler.errors(sources, System.getProperty("java.class.path")))
        .as("compile errors, at the README line they come from").isEmpty();
  }

  @Test
  void extractorReportsABrokenSnippetAtItsReadmeLine() throws IOException {
    List<String> markdown = List.of(
        "# Demo",                                                       // 1
        "```java",                                                      // 2
        "import dev.telemetrykit.core.TelemetryKit;",                   // 3
        "TelemetryKit telemetry = TelemetryKit.start(\"svc\");",        // 4
        "```",                                                          // 5
        "<!-- snippet-context",                                         // 6
        "dev.telemetrykit.core.TelemetryKit telemetry;",                // 7
        "-->",                                                          // 8
        "```java",                                                      // 9
        "telemetry.meters().counter(\"x_total\").register();",         // 10
        "GuardedCounter missingImport = null;",                         // 11
        "```",                                                          // 12
        "```java no-compile",                                           // 13
        "this is not Java",                                             // 14
        "```",                                                          // 15
        "```java",                                                      // 16
        "public static void main(String[] args) {",                     // 17
        "  TelemetryKit.start(\"svc\");",                               // 18
        "}",                                                            // 19
        "```");                                                         // 20
    List<Snippets.Source> sources = Snippets.extract(markdown, "DEMO.md", "snippets");
    assertThat(sources).extracting(Snippets.Source::className)
        .containsExactly("Demo_1", "Demo_2", "Demo_3");
    List<String> errors = SnippetCompiler.errors(sources, System.getProperty("java.class.path"));
    // The second block forgot an import; the third uses a type its own imports lack.
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("DEMO.md:11: ")
        .contains("GuardedCounter"));
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("DEMO.md:18: ")
        .contains("TelemetryKit"));
    assertThat(errors).noneSatisfy(e -> assertThat(e).startsWith("DEMO.md:4"));
    assertThat(errors).noneSatisfy(e -> assertThat(e).startsWith("DEMO.md:10"));
  }

  /**
   * Writes the consumer project the invoker plugin compiles: the README's own quick-start XML
   * (BOM import and module dependencies, verbatim), the optional integrations at the versions
   * of the README's supported-versions table, and every snippet as a source file.
   */
  @Test
  void writesTheConsumerProjectFromTheReadme() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String quickStart = quickStartXml(readme);
    assertThat(quickStart).contains("<artifactId>telemetrykit-bom</artifactId>")
        .contains("<scope>import</scope>");
    List<String[]> integrations = supportedVersions(readme);
    assertThat(integrations).as("supported versions table rows with Maven coordinates")
        .hasSizeGreaterThanOrEqualTo(6);

    String rootPom = Files.readString(ROOT.resolve("pom.xml"));
    for (String[] row : integrations) {
      assertThat(rootPom).as("README's tested version of %s:%s is the build's", row[0], row[1])
          .contains(">" + row[2] + "</");
    }
    StringBuilder optional = new StringBuilder();
    for (String[] row : integrations) {
      optional.append("    <dependency><groupId>").append(row[0]).append("</groupId><artifactId>")
          .append(row[1]).append("</artifactId><version>").append(row[2])
          .append("</version></dependency>\n");
    }
    int deps = quickStart.lastIndexOf("</dependencies>");
    String dependencies = quickStart.substring(0, deps) + optional + quickStart.substring(deps);
    String version = projectVersion();
    String pom = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>example</groupId>\n"
        + "  <artifactId>readme-consumer</artifactId>\n"
        + "  <version>1.0</version>\n"
        + "  <properties>\n"
        + "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
        + "  </properties>\n"
        + dependencies.replace("0.1.0-SNAPSHOT", version) + "\n"
        + "  <build><plugins>\n" + compilerPluginXml(readme) + "\n  </plugins></build>\n"
        + "</project>\n";
    Files.createDirectories(CONSUMER);
    Files.writeString(CONSUMER.resolve("pom.xml"), pom);
    Files.writeString(CONSUMER.resolve("invoker.properties"), "invoker.goals = compile\n");
    Path src = CONSUMER.resolve("src/main/java/snippets");
    Files.createDirectories(src);
    for (Snippets.Source source : allSnippets()) {
      Files.writeString(src.resolve(source.className() + ".java"), source.text());
    }
    assertThat(src.toFile().list()).hasSizeGreaterThan(20);
  }

  /** The quick start's XML block: the one importing {@code telemetrykit-bom}. */
  static String quickStartXml(String readme) {
    Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("telemetrykit-bom") && m.group(1).contains("<dependencies>")) {
        return m.group(1);
      }
    }
    throw new AssertionError("README.md has no ```xml block importing telemetrykit-bom");
  }

  /** The README's compiler-plugin XML block (the Maven 3.8 hint), verbatim. */
  static String compilerPluginXml(String readme) {
    Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("maven-compiler-plugin")) {
        return m.group(1);
      }
    }
    throw new AssertionError("README.md has no ```xml block with the maven-compiler-plugin hint");
  }

  /** Rows {@code | name | `group:artifact` | `version` | ...} of the supported-versions table. */
  static List<String[]> supportedVersions(String readme) {
    List<String[]> rows = new ArrayList<>();
    Matcher m = Pattern.compile("^\\|[^|\\n]+\\|\\s*`([\\w.-]+):([\\w.-]+)`\\s*\\|\\s*`([\\w.-]+)`",
        Pattern.MULTILINE).matcher(readme);
    while (m.find()) {
      rows.add(new String[] {m.group(1), m.group(2), m.group(3)});
    }
    return rows;
  }

  private static String projectVersion() throws IOException {
    Matcher m = Pattern.compile("<version>([^<]+)</version>")
        .matcher(Files.readString(ROOT.resolve("bom").resolve("pom.xml")));
    if (!m.find()) {
      throw new AssertionError("no version in bom/pom.xml");
    }
    return m.group(1);
  }
}
