package dev.telemetrykit.http;

import dev.telemetrykit.http.internal.ApacheExecHandler;
import java.util.Objects;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Apache HttpClient 5 classic instrumentation (needs
 * {@code org.apache.httpcomponents.client5:httpclient5} on the class path; tested with 5.6.5):
 * the {@code http_client_*} metrics, labels, CLIENT spans with W3C propagation and error types
 * of the JDK {@code HttpClient} wrapper, and the current correlation ID forwarded. An
 * instrumentation failure never fails the call.
 *
 * <pre>{@code
 * CloseableHttpClient client =
 *     ApacheHttpClientTelemetry.instrument(http, HttpClients.custom()).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ApacheHttpClientTelemetry {

  private ApacheHttpClientTelemetry() {}

  /** The exec-chain handler, for {@code builder.addExecInterceptorFirst("telemetrykit", h)}. */
  public static ExecChainHandler execHandler(HttpTelemetry http) {
    return new ApacheExecHandler(Objects.requireNonNull(http, "http").clientInstrumenter());
  }

  /** Adds {@link #execHandler} first in the builder's exec chain; returns the builder. */
  public static HttpClientBuilder instrument(HttpTelemetry http, HttpClientBuilder builder) {
    return builder.addExecInterceptorFirst(ApacheExecHandler.NAME, execHandler(http));
  }
}
