package dev.telemetrykit.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build check of the BOM: every published module of the reactor (all but the BOM itself,
 * samples and benchmarks) is listed in {@code bom/pom.xml}, at the reactor's version. The
 * samples import the BOM instead of naming versions, which proves it resolves.
 */
class BomCompletenessTest {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  @Test
  void everyPublishedModuleIsInTheBomAtTheProjectVersion() throws Exception {
    String rootPom = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    String version = firstTag(rootPom, "version");

    List<String> published = new ArrayList<>();
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    while (modules.find()) {
      String module = modules.group(1).trim();
      if (module.equals("bom") || module.startsWith("samples/") || module.equals("benchmarks")) {
        continue;
      }
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      published.add(artifactIdAfterParent(pom));
    }
    assertThat(published).as("published modules").contains("telemetrykit-core",
        "telemetrykit-http", "telemetrykit-jdbc", "telemetrykit-cache", "telemetrykit-tracing",
        "telemetrykit-logging");

    assertThat(firstTag(bom, "version")).as("BOM version").isEqualTo(version);
    for (String artifact : published) {
      assertThat(bom).as("bom/pom.xml lists " + artifact + " at " + version)
          .containsPattern("<artifactId>" + artifact + "</artifactId>\\s*<version>"
              + Pattern.quote(version) + "</version>");
    }
    assertThat(bom).as("samples and benchmarks are never published")
        .doesNotContain("<artifactId>telemetrykit-sample")
        .doesNotContain("<artifactId>telemetrykit-benchmarks");
  }

  private static String firstTag(String pom, String tag) {
    String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
    Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(withoutParent);
    assertThat(m.find()).as(tag).isTrue();
    return m.group(1).trim();
  }

  private static String artifactIdAfterParent(String pom) {
    return firstTag(pom, "artifactId");
  }
}
