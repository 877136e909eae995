package dev.telemetrykit.benchmarks;

import dev.telemetrykit.http.internal.PathNormalizer;
import dev.telemetrykit.http.internal.RouteMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route-template lookup for 50 registered templates: TelemetryKit's segment trie against the
 * usual alternative, one precompiled regex per template tried in order. Also the path
 * normaliser used when no template is registered. Each operation is 10 × 1024 lookups over 4
 * paths (hit early, hit late, miss, normalise).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar RouteLookup -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteLookupBenchmark {

  static final int CALLS = 10 * 1024;

  RouteMatcher matcher;
  List<Pattern> patterns;
  List<String> templates;
  String[] paths = {"/api/v3/orders/98765", "/api/v47/customers/c-1/orders", "/nope/x/y",
      "/api/v12/orders/42"};

  @Setup
  public void setUp() {
    templates = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      templates.add("/api/v" + i + "/orders/{id}");
      templates.add("/api/v" + (25 + i) + "/customers/{id}/orders");
    }
    matcher = new RouteMatcher(templates);
    patterns = new ArrayList<>();
    for (String t : templates) {
      patterns.add(Pattern.compile(t.replaceAll("\\{[^}]+}", "[^/]+")));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int trieTelemetryKit() {
    int found = 0;
    for (int i = 0; i < CALLS; i++) {
      if (matcher.match(paths[i & 3]) != null) {
        found++;
      }
    }
    return found;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int regexPerTemplateBaseline() {
    int found = 0;
    for (int i = 0; i < CALLS; i++) {
      String path = paths[i & 3];
      for (int t = 0; t < patterns.size(); t++) {
        Matcher m = patterns.get(t).matcher(path);
        if (m.matches()) {
          found++;
          break;
        }
      }
    }
    return found;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public int normaliseWithoutTemplates() {
    int length = 0;
    for (int i = 0; i < CALLS; i++) {
      length += PathNormalizer.normalize(paths[i & 3]).length();
    }
    return length;
  }
}
