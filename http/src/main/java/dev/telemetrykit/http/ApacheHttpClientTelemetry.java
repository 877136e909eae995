package dev.telemetrykit.http;

import dev.telemetrykit.http.internal.ApacheAsyncExecHandler;
import dev.telemetrykit.http.internal.ApacheExecHandler;
import java.util.Objects;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Apache HttpClient 5 classic and async instrumentation (needs
 * {@code org.apache.httpcomponents.client5:httpclient5} on the class path; tested with 5.6.5):
 * the {@code http_client_*} metrics, labels, CLIENT spans with W3C propagation and error types
 * of the JDK {@code HttpClient} wrapper, and the current correlation ID forwarded. An
 * instrumentation failure never fails the call. Both clients record one logical call (redirects
 * and retries inside) up to the final response head, or to the failure or cancellation.
 *
 * <pre>{@code
 * CloseableHttpClient client =
 *     ApacheHttpClientTelemetry.instrument(http, HttpClients.custom()).build();
 * CloseableHttpAsyncClient async =
 *     ApacheHttpClientTelemetry.instrument(http, HttpAsyncClients.custom()).build();
 * }</pre>
 *
 * <p>The async instrumentation is tested with {@link HttpAsyncClientBuilder}; the HTTP/2-only
 * {@code H2AsyncClientBuilder} takes {@link #asyncExecHandler} the same way (untested); the
 * minimal async clients have no exec chain and cannot be instrumented. Cancelling the async
 * future records the call once, with a {@link java.util.concurrent.CancellationException}.
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

  /**
   * The async exec-chain handler, for
   * {@code builder.addExecInterceptorFirst("telemetrykit", h)} on an
   * {@link HttpAsyncClientBuilder}.
   */
  public static AsyncExecChainHandler asyncExecHandler(HttpTelemetry http) {
    return new ApacheAsyncExecHandler(
        Objects.requireNonNull(http, "http").clientInstrumenter());
  }

  /**
   * Adds {@link #asyncExecHandler} first in the async builder's exec chain; returns the builder.
   */
  public static HttpAsyncClientBuilder instrument(HttpTelemetry http,
      HttpAsyncClientBuilder builder) {
    return builder.addExecInterceptorFirst(ApacheAsyncExecHandler.NAME, asyncExecHandler(http));
  }
}
