package dev.telemetrykit.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Run in a child JVM by {@link ConfiguratorTest}: logs one line with a secret and exits. */
public final class LogOnceMain {
  private LogOnceMain() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("child");
    log.info("hello {}", kv("password", "pw-child-secret"));
  }
}
