package dev.telemetrykit.logging.internal;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.telemetrykit.core.Settings;
import dev.telemetrykit.logging.TelemetryJsonEncoder;
import dev.telemetrykit.logging.TelemetryLogging;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Logback's {@link Configurator} SPI: when the application has no Logback configuration of its
 * own ({@code logback-test.xml}, {@code logback.xml}, {@code -Dlogback.configurationFile},
 * {@code -Dlogback.scmoFile}), logs go to stdout as JSON lines ({@link TelemetryJsonEncoder}),
 * or as redacted text with {@code TELEMETRYKIT_LOG_FORMAT=text}; root level
 * {@code TELEMETRYKIT_LOG_LEVEL} (default INFO), with {@code java.util.logging} routed into
 * the same stream ({@link JulBridge}). Otherwise it does nothing and Logback's own
 * configurators run. Reads the environment and system properties itself: it runs when the
 * first logger is created, before {@code TelemetryKit.start}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class TelemetryLogbackConfigurator extends ContextAwareBase implements Configurator {

  /** Name of the console appender this configurator creates. */
  public static final String APPENDER_NAME = "TELEMETRYKIT_CONSOLE";

  /** Log formats. */
  public enum Format { JSON, TEXT }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (applicationHasConfiguration(context)) {
      addInfo("TelemetryKit: the application configures Logback itself; not configuring JSON");
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Settings settings = Settings.fromEnvironment(Map.of());
    // A bad setting must not put Logback status lines on stdout (they would break the JSON
    // stream): fall back quietly here, say it in one JSON line below, and let
    // TelemetryKit.start fail with the setting's name (LoggingModule validates the same values).
    List<String> problems = new ArrayList<>();
    Format format = Format.JSON;
    Level level = Level.INFO;
    try {
      format = LoggingState.logFormat(settings);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; using json");
    }
    try {
      level = LoggingState.logLevel(settings);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; using info");
    }
    if (LoggingState.startupProblem() != null) {
      problems.add(LoggingState.startupProblem() + "; using the built-in redaction only");
    }
    configure(context, format, level);
    Logger self = context.getLogger("dev.telemetrykit.logging");
    for (String problem : problems) {
      self.warn(problem);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets up the console appender, the turbo filter and the root level on {@code context}. */
  public static void configure(LoggerContext context, Format format, Level level) {
    Encoder<ILoggingEvent> encoder = format == Format.TEXT
        ? new RedactingTextEncoder() : new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER_NAME);
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
    installTurboFilter(context);
    JulBridge.install(context);
  }

  /** Adds TelemetryKit's turbo filter to {@code context} unless one is there. */
  public static void installTurboFilter(LoggerContext context) {
    for (Object f : context.getTurboFilterList()) {
      if (f instanceof TelemetryTurboFilter) {
        return;
      }
    }
    TelemetryTurboFilter filter = new TelemetryTurboFilter();
    filter.setContext(context);
    filter.setName("TELEMETRYKIT");
    filter.start();
    context.addTurboFilter(filter);
  }

  private static boolean applicationHasConfiguration(LoggerContext context) {
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
        || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null) {
      return true;
    }
    DefaultJoranConfigurator joran = new DefaultJoranConfigurator();
    joran.setContext(context);
    return joran.findURLOfDefaultConfigurationFile(false) != null;
  }
}
