package dev.telemetrykit.logging;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A value that must never be printed: its {@code toString()} and its JSON form are both the
 * mask, so it is safe as a log argument, in a structured argument or inside an object that is
 * logged.
 *
 * <pre>{@code
 * Sensitive<String> password = Sensitive.of(request.password());
 * log.info("login for {} with {}", user, password);        // ... with ****
 * authenticate(user, password.reveal());
 * }</pre>
 *
 * <p>It deliberately does not implement {@code Supplier}: SLF4J's fluent API evaluates
 * supplier arguments, which would print the value.
 *
 * @param <T> the wrapped type
 * @since 0.1.0
 */
public final class Sensitive<T> {

  /** What {@code toString()} prints. */
  public static final String MASK = "****";

  private final T value;

  private Sensitive(T value) {
    this.value = value;
  }

  /** Wraps {@code value}. */
  public static <T> Sensitive<T> of(T value) {
    return new Sensitive<>(Objects.requireNonNull(value, "value"));
  }

  /** The wrapped value, for the code that needs it. */
  public T reveal() {
    return value;
  }

  /** The mask, never the value. */
  @JsonValue
  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sensitive && Objects.equals(value, ((Sensitive<?>) o).value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }
}
