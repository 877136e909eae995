package dev.telemetrykit.jdbc;

/** Java functions for H2 {@code CREATE ALIAS}; public because H2 calls them reflectively. */
public final class H2Functions {

  private H2Functions() {}

  /** {@code PAUSE_MS(ms)}: a statement that is slow for sure. */
  public static int pauseMillis(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }
}
