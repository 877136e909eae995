package dev.telemetrykit.http;

import dev.telemetrykit.http.internal.OkHttpInterceptor;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * OkHttp 5 instrumentation (needs {@code com.squareup.okhttp3:okhttp-jvm} on the class path;
 * tested with 5.5.1): the {@code http_client_*} metrics, labels, CLIENT spans with W3C
 * propagation and error types of the JDK {@code HttpClient} wrapper, and the current
 * correlation ID forwarded. An instrumentation failure never fails the call.
 *
 * <pre>{@code
 * OkHttpClient client = OkHttpTelemetry.wrap(http, new OkHttpClient());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class OkHttpTelemetry {

  private OkHttpTelemetry() {}

  /**
   * An application interceptor ({@code builder.addInterceptor(...)}): one record per logical
   * call, redirects and retries included.
   */
  public static Interceptor interceptor(HttpTelemetry http) {
    return new OkHttpInterceptor(Objects.requireNonNull(http, "http").clientInstrumenter());
  }

  /** A client sharing {@code client}'s pools and settings, with {@link #interceptor} first. */
  public static OkHttpClient wrap(HttpTelemetry http, OkHttpClient client) {
    OkHttpClient.Builder b = client.newBuilder();
    b.interceptors().add(0, interceptor(http));
    return b.build();
  }
}
