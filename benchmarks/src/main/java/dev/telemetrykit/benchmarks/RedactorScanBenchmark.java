package dev.telemetrykit.benchmarks;

import dev.telemetrykit.core.redaction.RedactionBuffer;
import dev.telemetrykit.core.redaction.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The redaction scan of one clean string, as the log encoder runs it per value
 * ({@link Redactor#redact(String, RedactionBuffer)}), against the copy every JSON writer makes
 * anyway (the string's characters into a reused array). The texts are the values of
 * {@link LogEncodeBenchmark}'s {@code mdcArgument} line: a short MDC value, a UUID correlation
 * ID, a trace ID and the formatted message; the difference between the two methods is what the
 * scan adds per value. The {@code realistic} line's values are measured with {@code -p text=...
 * -p emails=true} (see docs/benchmarks.md).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar RedactorScan -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RedactorScanBenchmark {

  @Param({"u-1001", "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f", "4bf92f3577b34da6a3ce929d0e0e4736",
      "Order order_id=123456 accepted for customer c-42"})
  public String text;

  /** E-mail redaction, on in {@link LogEncodeBenchmark}'s {@code realistic} shape. */
  @Param({"false"})
  public boolean emails;

  private Redactor redactor;
  private final RedactionBuffer buffer = new RedactionBuffer();
  private final char[] copy = new char[256];

  @Setup
  public void setUp() {
    redactor = Redactor.fromSettings(dev.telemetrykit.core.Settings.of(
        java.util.Map.of(Redactor.EMAILS, Boolean.toString(emails))));
  }

  /** The baseline: the copy a JSON writer makes of any string it writes. */
  @Benchmark
  public char[] copyOnly() {
    text.getChars(0, text.length(), copy, 0);
    return copy;
  }

  /** Copy and scan, as the log encoder does for every value it does not skip. */
  @Benchmark
  public int redactIntoBuffer() {
    redactor.redact(text, buffer);
    int length = buffer.length();
    buffer.release();
    return length;
  }
}
