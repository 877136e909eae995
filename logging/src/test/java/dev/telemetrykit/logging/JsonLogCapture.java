package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.telemetrykit.logging.internal.TelemetryLogbackConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * A private Logback context whose root logger writes TelemetryKit JSON into memory: the real
 * encoder, appender and turbo filter, with the process's MDC adapter.
 */
final class JsonLogCapture implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Appender<ILoggingEvent> appender;

  private JsonLogCapture(boolean async) {
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.setName("capture");
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> stream = new OutputStreamAppender<>();
    stream.setContext(context);
    stream.setName("memory");
    stream.setEncoder(encoder);
    stream.setOutputStream(out);
    stream.start();
    if (async) {
      AsyncAppender asyncAppender = new AsyncAppender();
      asyncAppender.setContext(context);
      asyncAppender.setName("async");
      asyncAppender.addAppender(stream);
      asyncAppender.start();
      appender = asyncAppender;
    } else {
      appender = stream;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.DEBUG);
    root.addAppender(appender);
    TelemetryLogbackConfigurator.installTurboFilter(context);
    context.start();
  }

  static JsonLogCapture start() {
    return new JsonLogCapture(false);
  }

  static JsonLogCapture startAsync() {
    return new JsonLogCapture(true);
  }

  Logger logger(String name) {
    return context.getLogger(name);
  }

  /** Stops async appenders (draining them) so that every line is written. */
  void drain() {
    appender.stop();
  }

  String text() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** Every line parsed as JSON; fails if a line is not one JSON object. */
  List<JsonNode> lines() {
    String text = text();
    assertThat(text).endsWith("\n");
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        JsonNode node = MAPPER.readTree(line);
        assertThat(node.isObject()).as("line is a JSON object: %s", line).isTrue();
        nodes.add(node);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + line, e);
      }
    }
    return nodes;
  }

  JsonNode single() {
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  void reset() {
    synchronized (out) {
      out.reset();
    }
  }

  @Override
  public void close() {
    context.stop();
  }
}
