package dev.telemetrykit.core.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Resilience4j and Bucket4j are optional ({@code provided}) dependencies: only the adapter
 * packages may refer to them, so core loads and runs without those jars.
 */
class OptionalDependenciesTest {

  @Test
  void onlyTheAdapterPackagesReferToResilience4jOrBucket4j() throws Exception {
    Path classes =
        Path.of(Meters.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Path> all;
    try (Stream<Path> files = Files.walk(classes)) {
      all = files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
    }
    List<String> offenders = all.stream()
        .filter(f -> !f.startsWith(classes.resolve("dev/telemetrykit/core/meter/resilience4j"))
            && !f.startsWith(classes.resolve("dev/telemetrykit/core/meter/bucket4j")))
        .filter(OptionalDependenciesTest::refersToOptionalLibrary)
        .map(f -> classes.relativize(f).toString())
        .collect(Collectors.toList());

    // The check does see the adapters' references.
    assertThat(all).anyMatch(OptionalDependenciesTest::refersToOptionalLibrary);
    assertThat(offenders).isEmpty();
  }

  private static boolean refersToOptionalLibrary(Path classFile) {
    try {
      String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      return constants.contains("io/github/resilience4j/")
          || constants.contains("io/github/bucket4j/");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
