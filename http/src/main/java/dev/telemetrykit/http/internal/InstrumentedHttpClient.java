package dev.telemetrykit.http.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that records every request it sends and delegates everything else.
 * Cancelling a future returned by {@code sendAsync} cancels the underlying exchange and
 * records the request as cancelled at once.
 */
public final class InstrumentedHttpClient extends HttpClient {

  private final HttpClient delegate;
  private final ClientInstrumenter instrumenter;

  public InstrumentedHttpClient(HttpClient delegate, ClientInstrumenter instrumenter) {
    this.delegate = delegate;
    this.instrumenter = instrumenter;
  }

  /** The wrapped client. */
  public HttpClient delegate() {
    return delegate;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    ClientInstrumenter.Call call = instrumenter.start(request);
    HttpResponse<T> response;
    try {
      response = delegate.send(call.request(), handler);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      call.end(null, e);
      throw e;
    }
    call.end(response, null);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
    ClientInstrumenter.Call call = instrumenter.start(request);
    CompletableFuture<HttpResponse<T>> upstream;
    try {
      upstream = push == null ? delegate.sendAsync(call.request(), handler)
          : delegate.sendAsync(call.request(), handler, push);
    } catch (RuntimeException | Error e) {
      call.end(null, e);
      throw e;
    }
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    upstream.whenComplete((response, failure) -> {
      call.end(response, failure);
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(response);
      }
    });
    result.whenComplete((response, failure) -> {
      if (result.isCancelled()) {
        call.end(null, failure);
        upstream.cancel(true);
      }
    });
    return result;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  /**
   * Closes the wrapped client where it can be closed (Java 21+ {@code HttpClient} is
   * {@link AutoCloseable}); on Java 17 there is nothing to close.
   */
  public void close() throws Exception {
    Object d = delegate;
    if (d instanceof AutoCloseable) {
      ((AutoCloseable) d).close();
    }
  }

  @Override
  public String toString() {
    return "InstrumentedHttpClient(" + delegate + ")";
  }
}
