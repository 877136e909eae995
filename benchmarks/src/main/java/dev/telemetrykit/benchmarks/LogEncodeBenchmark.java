package dev.telemetrykit.benchmarks;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.TelemetryJsonEncoder;
import dev.telemetrykit.logging.TelemetryLogging;
import dev.telemetrykit.logging.internal.LoggingState;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.marker.Markers;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one log event to a null stream, for five event shapes: plain logstash-logback-encoder
 * {@code LogstashEncoder} (baseline, no redaction), TelemetryKit's {@link TelemetryJsonEncoder}
 * with its default redaction, and {@code LogstashEncoder} with LLE's
 * {@code MaskingJsonGeneratorDecorator} configured with 8 regex value masks and 10 path masks
 * covering the same secrets. One encode per operation (they take microseconds).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar LogEncode -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogEncodeBenchmark {

  /** The regex value masks of the LLE comparison: the same secrets TelemetryKit detects. */
  static final String[] VALUE_MASKS = {
      "(?i)(?<=bearer )[A-Za-z0-9\\-._~+/]{10,}=*",
      "(?i)(?<=basic )[A-Za-z0-9+/]{8,}=*",
      "eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*",
      "\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b",
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----",
      "\\b(?:sk_live_|sk_test_|ghp_|gho_|github_pat_|xox[abprs]-)[A-Za-z0-9_-]{10,}",
      "\\b(?:\\d[ -]?){12,18}\\d\\b",
      "(?i)(?<=(?:password|passwd|secret|token|api_key|authorization)[=:] ?)[^\\s,;&\"]+"};

  static final String[] PATH_MASKS = {
      "password", "passwd", "secret", "client_secret", "token", "access_token", "refresh_token",
      "api_key", "authorization", "cookie"};

  /** A bearer JWT, as an MDC value in the {@code realistic} shape. */
  static final String BEARER_JWT = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEwMDEiLCJyb2xlIjoiYnV5ZXIifQ"
      + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

  @Param({"simple", "marker", "mdcArgument", "exception", "realistic"})
  public String shape;

  private LoggerContext context;
  private LoggingEvent event;
  private LogstashEncoder plain;
  private TelemetryJsonEncoder telemetryKit;
  private LogstashEncoder regexMasks;
  private final OutputStream nul = OutputStream.nullOutputStream();

  @Setup
  public void setUp() {
    context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    Logger logger = context.getLogger("dev.telemetrykit.benchmarks.OrderService");
    logger.setLevel(Level.INFO);
    String fqcn = Logger.class.getName();
    switch (shape) {
      case "simple":
        event = new LoggingEvent(fqcn, logger, Level.INFO, "Order accepted and queued for payment",
            null, null);
        break;
      case "marker":
        event = new LoggingEvent(fqcn, logger, Level.INFO, "Order accepted", null, null);
        event.addMarker(Markers.append("order_id", 123456).and(Markers.append("customer", "c-42"))
            .and(Markers.append("channel", "web")));
        break;
      case "mdcArgument":
        event = new LoggingEvent(fqcn, logger, Level.INFO, "Order {} accepted for {}", null,
            new Object[] {kv("order_id", 123456), "customer c-42"});
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("correlation_id", "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f");
        mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        mdc.put("span_id", "00f067aa0ba902b7");
        mdc.put("user", "u-1001");
        event.setMDCPropertyMap(mdc);
        break;
      case "realistic":
        // Issue 14's realistic line: digits and a path in the message, an e-mail argument,
        // three MDC entries one of which holds a bearer JWT; e-mail redaction on.
        LoggingState.apply(Settings.of(Map.of(TelemetryLogging.REDACT_EMAILS, "true")));
        event = new LoggingEvent(fqcn, logger, Level.INFO,
            "GET /api/v1/orders/12345 completed with status 200 in 17 ms for {}", null,
            new Object[] {"jane.doe@example.com"});
        Map<String, String> realistic = new LinkedHashMap<>();
        realistic.put("correlation_id", "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f");
        realistic.put("tenant", "acme");
        realistic.put("upstream_auth", BEARER_JWT);
        event.setMDCPropertyMap(realistic);
        break;
      default:
        event = new LoggingEvent(fqcn, logger, Level.ERROR, "Payment failed", deepException(12),
            null);
        break;
    }
    event.prepareForDeferredProcessing();

    plain = new LogstashEncoder();
    plain.setContext(context);
    plain.start();

    telemetryKit = new TelemetryJsonEncoder();
    telemetryKit.setContext(context);
    telemetryKit.start();

    MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
    masking.setDefaultMask("****");
    for (String v : VALUE_MASKS) {
      masking.addValue(v);
    }
    for (String p : PATH_MASKS) {
      masking.addPath(p);
    }
    masking.start();
    regexMasks = new LogstashEncoder();
    regexMasks.setContext(context);
    regexMasks.setJsonGeneratorDecorator(masking);
    regexMasks.start();
  }

  private static Throwable deepException(int depth) {
    try {
      recurse(depth);
    } catch (IllegalStateException e) {
      return new RuntimeException("charge failed for order 123456", e);
    }
    throw new AssertionError();
  }

  private static void recurse(int depth) {
    if (depth == 0) {
      throw new IllegalStateException("gateway timeout after 3000 ms");
    }
    recurse(depth - 1);
  }

  @TearDown
  public void tearDown() {
    plain.stop();
    telemetryKit.stop();
    regexMasks.stop();
    context.stop();
  }

  @Benchmark
  public OutputStream plainLogstashEncoder() throws IOException {
    plain.encode(event, nul);
    return nul;
  }

  @Benchmark
  public OutputStream telemetryKitEncoder() throws IOException {
    telemetryKit.encode(event, nul);
    return nul;
  }

  @Benchmark
  public OutputStream logstashEncoderWithRegexMasks() throws IOException {
    regexMasks.encode(event, nul);
    return nul;
  }
}
