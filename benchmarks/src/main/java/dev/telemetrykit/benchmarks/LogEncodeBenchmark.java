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

  /**
   * How often the MDC's value objects change, for the shapes with an MDC. {@code repeated}: the
   * same String objects on every line, as on the lines of one request (one event, encoded over
   * and over); {@code perRequest}: new objects every 4 lines; {@code perLine}: new objects on
   * every line, the worst case for TelemetryKit, which skips re-scanning an MDC value object it
   * wrote clean on the line before. Every side encodes the same events.
   */
  @Param({"repeated", "perLine"})
  public String mdcValues = "repeated";

  /** Events cycled through when MDC values change (more than the encoder remembers). */
  private static final int RING = 64;

  private LoggerContext context;
  private LoggingEvent[] events;
  private int next;
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
    if (shape.equals("realistic")) {
      LoggingState.apply(Settings.of(Map.of(TelemetryLogging.REDACT_EMAILS, "true")));
    }
    int linesPerValue;
    switch (mdcValues) {
      case "repeated":
        linesPerValue = 0;
        break;
      case "perRequest":
        linesPerValue = 4;
        break;
      case "perLine":
        linesPerValue = 1;
        break;
      default:
        throw new IllegalArgumentException(
            "mdcValues must be repeated, perRequest or perLine: " + mdcValues);
    }
    events = new LoggingEvent[linesPerValue == 0 ? 1 : RING];
    Map<String, String> mdc = null;
    for (int k = 0; k < events.length; k++) {
      if (mdc == null || k % linesPerValue == 0) {
        mdc = mdc(shape);
      }
      events[k] = event(logger, mdc);
      events[k].prepareForDeferredProcessing();
    }

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

  /** This shape's MDC, with value objects of its own (new Strings), or null when it has none. */
  private static Map<String, String> mdc(String shape) {
    Map<String, String> mdc = new LinkedHashMap<>();
    switch (shape) {
      case "mdcArgument":
        mdc.put("correlation_id", new String("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f"));
        mdc.put("trace_id", new String("4bf92f3577b34da6a3ce929d0e0e4736"));
        mdc.put("span_id", new String("00f067aa0ba902b7"));
        mdc.put("user", new String("u-1001"));
        return mdc;
      case "realistic":
        // Issue 14's realistic line: three MDC entries, one of which holds a bearer JWT.
        mdc.put("correlation_id", new String("3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c1a0f"));
        mdc.put("tenant", new String("acme"));
        mdc.put("upstream_auth", new String(BEARER_JWT));
        return mdc;
      default:
        return null;
    }
  }

  private LoggingEvent event(Logger logger, Map<String, String> mdc) {
    String fqcn = Logger.class.getName();
    LoggingEvent event;
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
        break;
      case "realistic":
        // Digits and a path in the message, an e-mail argument; e-mail redaction on.
        event = new LoggingEvent(fqcn, logger, Level.INFO,
            "GET /api/v1/orders/12345 completed with status 200 in 17 ms for {}", null,
            new Object[] {"jane.doe@example.com"});
        break;
      default:
        event = new LoggingEvent(fqcn, logger, Level.ERROR, "Payment failed", deepException(12),
            null);
        break;
    }
    if (mdc != null) {
      event.setMDCPropertyMap(mdc);
    }
    return event;
  }

  private LoggingEvent nextEvent() {
    LoggingEvent[] ring = events;
    if (ring.length == 1) {
      return ring[0];
    }
    int i = next;
    next = i + 1 == ring.length ? 0 : i + 1;
    return ring[i];
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
    plain.encode(nextEvent(), nul);
    return nul;
  }

  @Benchmark
  public OutputStream telemetryKitEncoder() throws IOException {
    telemetryKit.encode(nextEvent(), nul);
    return nul;
  }

  @Benchmark
  public OutputStream logstashEncoderWithRegexMasks() throws IOException {
    regexMasks.encode(nextEvent(), nul);
    return nul;
  }
}
