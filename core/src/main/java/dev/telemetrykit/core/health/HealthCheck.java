package dev.telemetrykit.core.health;

import java.util.Objects;

/**
 * One dependency or component check, run by {@link Health} on its own threads at the
 * registration's interval. A check that throws is DOWN with the exception as reason; a check
 * that takes longer than its timeout is DOWN ("timed out") until it returns.
 *
 * <pre>{@code
 * HealthCheck cache = () -> cache.ping()
 *     ? HealthCheck.Result.up()
 *     : HealthCheck.Result.down("cache did not answer PING");
 * }</pre>
 *
 * <p>Implementations may block (they never run on a request thread) but should honour the
 * timeout they were registered with where the dependency's client allows it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Checks once.
   *
   * @return UP or DOWN with a short reason; null counts as DOWN
   * @throws Exception counted as DOWN, the exception (redacted) as reason
   */
  Result check() throws Exception;

  /** UP or DOWN. */
  enum Status {
    /** Working. */
    UP,
    /** Not working. */
    DOWN
  }

  /**
   * The outcome of one check. The reason is shown on {@code /health}, shortened and with
   * secrets (URL passwords, {@code password=...}, tokens) masked.
   */
  final class Result {
    private static final Result UP = new Result(Status.UP, null);

    private final Status status;
    private final String reason;

    private Result(Status status, String reason) {
      this.status = status;
      this.reason = reason;
    }

    /** Working, nothing to say. */
    public static Result up() {
      return UP;
    }

    /** Working, with a note (e.g. "3 of 4 replicas"). */
    public static Result up(String note) {
      return new Result(Status.UP, note);
    }

    /** Not working, and why. */
    public static Result down(String reason) {
      return new Result(Status.DOWN, Objects.requireNonNull(reason, "reason"));
    }

    /** UP if {@code ok}, else DOWN with {@code reason}. */
    public static Result of(boolean ok, String reason) {
      return ok ? UP : down(reason);
    }

    /** UP or DOWN. */
    public Status status() {
      return status;
    }

    /** The reason or note as given (not yet redacted); null if none. */
    public String reason() {
      return reason;
    }

    @Override
    public String toString() {
      return reason == null ? status.name() : status + " (" + reason + ")";
    }
  }
}
